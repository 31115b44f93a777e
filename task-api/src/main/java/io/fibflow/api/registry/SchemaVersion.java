package io.fibflow.api.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One registered version of a schema under a subject, as the registry reports it.
 *
 * @param subject the subject name
 * @param id      the registry-wide schema id (what the wire format carries)
 * @param version the version number within the subject, starting at 1
 * @param schema  the Avro schema
 */
public record SchemaVersion(String subject, int id, int version, Schema schema) {
    public SchemaVersion {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
