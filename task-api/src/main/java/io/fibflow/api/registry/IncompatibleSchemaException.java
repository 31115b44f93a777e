package io.fibflow.api.registry;

/**
 * The registry refused a schema because it breaks the subject's compatibility level (HTTP 409):
 * change the schema (add defaults) or the level; retrying will not help.
 */
public class IncompatibleSchemaException extends SchemaRegistryException {

    private final String subject;

    public IncompatibleSchemaException(String message, String subject, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
        this.subject = subject;
    }

    /** @return the subject the schema was refused under */
    public String subject() {
        return subject;
    }
}
