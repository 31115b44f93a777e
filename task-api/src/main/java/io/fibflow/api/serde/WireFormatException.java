package io.fibflow.api.serde;

/**
 * The bytes are not in the Confluent wire format (magic byte 0, 4-byte schema id, Avro body): they
 * were written by some other serializer, so dead-letter them.
 */
public class WireFormatException extends UndecodableRecordException {

    public WireFormatException(String message) {
        super(message, null);
    }
}
