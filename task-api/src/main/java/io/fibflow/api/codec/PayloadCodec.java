package io.fibflow.api.codec;

import io.fibflow.avro.Payload;

/**
 * Turns handler values into {@link Payload}s and back, for one encoding (e.g. {@code json/plain}).
 * A decode failure throws {@link PayloadDecodeException}, which fails the attempt non-retryably.
 */
public interface PayloadCodec {

    /** The {@code Payload.encoding} this codec writes and reads. */
    String encoding();

    /** Whether this codec can encode {@code value}. */
    boolean canEncode(Object value);

    Payload encode(Object value);

    <T> T decode(Payload payload, Class<T> type);
}
