/** Implementation of {@code io.fibflow.embedded}; not API, may change without notice. */
package io.fibflow.embedded.internals;
