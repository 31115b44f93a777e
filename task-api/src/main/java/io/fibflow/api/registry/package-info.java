/**
 * A client of Confluent-compatible Schema Registries (Confluent, Apicurio's {@code ccompat} API,
 * Karapace, fibflow's embedded registry), for Avro schemas.
 *
 * <p>Decisions: the REST client omits {@code schemaType} for AVRO (Confluent's own default, accepted
 * everywhere); it retries only I/O errors, timeouts, 5xx and 429, never a 4xx; a missing subject
 * ({@link io.fibflow.api.registry.SubjectNotFoundException}) is a kind of
 * {@link io.fibflow.api.registry.SchemaNotFoundException}; {@code testCompatibility} without a version
 * checks against {@code latest}, and a subject that does not exist yet accepts any schema. Schema
 * references and non-Avro schema types are not supported.
 */
package io.fibflow.api.registry;
