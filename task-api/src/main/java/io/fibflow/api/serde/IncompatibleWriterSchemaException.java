package io.fibflow.api.serde;

/**
 * The record's writer schema cannot be resolved to the reader's class (e.g. a {@code TaskEvent} on a
 * {@code Task} topic, or a removed field without a default): dead-letter it, or read it with a
 * matching type.
 */
public class IncompatibleWriterSchemaException extends UndecodableRecordException {

    public IncompatibleWriterSchemaException(String message) {
        super(message, null);
    }
}
