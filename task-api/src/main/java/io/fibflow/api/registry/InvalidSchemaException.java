package io.fibflow.api.registry;

/**
 * The registry could not parse or accept the schema text (error 42201): fix the schema.
 */
public class InvalidSchemaException extends SchemaRegistryException {

    public InvalidSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
