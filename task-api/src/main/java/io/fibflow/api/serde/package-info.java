/**
 * Kafka serializers and deserializers for Avro SpecificRecords in the Confluent wire format (magic
 * byte 0, 4-byte big-endian schema id, Avro binary), readable by any Confluent-compatible client.
 *
 * <p>Decode failures are split for the worker's dead-letter decision (DESIGN §5):
 * {@link io.fibflow.api.serde.UndecodableRecordException#isPermanent(Throwable)} is {@code true} for
 * bytes that will never decode (bad framing, corrupt body, incompatible writer schema, unknown schema
 * id) and {@code false} for a registry that is down, which is worth a pause and a retry.
 */
package io.fibflow.api.serde;
