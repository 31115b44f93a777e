package io.fibflow.api.codec;

import io.fibflow.avro.Payload;
import java.nio.ByteBuffer;
import java.util.Map;

/** Raw bytes ({@code binary/plain}), handed to handlers untouched. */
public final class BinaryPayloadCodec implements PayloadCodec {

    public static final String ENCODING = "binary/plain";

    @Override
    public String encoding() {
        return ENCODING;
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof byte[];
    }

    @Override
    public Payload encode(Object value) {
        if (!(value instanceof byte[] bytes)) {
            throw new IllegalArgumentException("binary/plain encodes byte[] only, got "
                    + (value == null ? "null" : value.getClass().getName()));
        }
        return new Payload(ENCODING, ByteBuffer.wrap(bytes.clone()), Map.of());
    }

    @Override
    public <T> T decode(Payload payload, Class<T> type) {
        if (type != byte[].class) {
            throw new PayloadDecodeException("a binary/plain payload decodes to byte[] only, not " + type.getName(), null);
        }
        ByteBuffer data = payload.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return type.cast(bytes);
    }
}
