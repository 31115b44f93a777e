/** Implementation details of {@code io.fibflow.api.serde}; not public API, may change without notice. */
package io.fibflow.api.internals.serde;
