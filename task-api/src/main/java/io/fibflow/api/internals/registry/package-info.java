/** Implementation details of {@code io.fibflow.api.registry}; not public API, may change without notice. */
package io.fibflow.api.internals.registry;
