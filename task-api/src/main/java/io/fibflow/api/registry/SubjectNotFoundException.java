package io.fibflow.api.registry;

/**
 * The registry has no such subject (error 40401): register a schema under it first.
 *
 * <p>A subclass of {@link SchemaNotFoundException} because a missing subject also means the schema
 * asked for is not registered under it.
 */
public class SubjectNotFoundException extends SchemaNotFoundException {

    public SubjectNotFoundException(String message, String subject, int httpStatus, int errorCode) {
        super(message, subject, null, httpStatus, errorCode);
    }
}
