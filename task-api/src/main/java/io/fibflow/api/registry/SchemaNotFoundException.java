package io.fibflow.api.registry;

import java.util.OptionalInt;

/**
 * The registry does not know the schema asked for (error 40403 for an id or a schema under a
 * subject, 40402 for a version): register it, or treat the data that names it as undecodable.
 *
 * <p>When a deserializer throws it for a record's schema id the failure is permanent: the record
 * should be dead-lettered, not retried.
 */
public class SchemaNotFoundException extends SchemaRegistryException {

    private final String subject;
    private final Integer schemaId;

    public SchemaNotFoundException(String message, String subject, Integer schemaId, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
        this.subject = subject;
        this.schemaId = schemaId;
    }

    /** @return the subject that was searched, or {@code null} for a lookup by id */
    public String subject() {
        return subject;
    }

    /** @return the schema id that was searched, if the lookup was by id */
    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }
}
