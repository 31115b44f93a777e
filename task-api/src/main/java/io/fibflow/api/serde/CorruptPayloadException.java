package io.fibflow.api.serde;

/**
 * The Avro body does not decode with the writer schema its id names (truncated, corrupt, or written
 * with another schema than it claims): dead-letter it.
 */
public class CorruptPayloadException extends UndecodableRecordException {

    public CorruptPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
