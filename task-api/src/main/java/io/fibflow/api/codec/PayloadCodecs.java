package io.fibflow.api.codec;

import io.fibflow.avro.Payload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The codecs a worker or client knows, chosen by {@code Payload.encoding} when decoding and by
 * the value's type when encoding (the first codec that can encode it; JSON last).
 */
public final class PayloadCodecs {

    private final Map<String, PayloadCodec> byEncoding = new LinkedHashMap<>();
    private final List<PayloadCodec> encodeOrder = new ArrayList<>();

    private PayloadCodecs(List<PayloadCodec> codecs) {
        for (PayloadCodec c : codecs) {
            byEncoding.put(c.encoding(), c);
            encodeOrder.add(c);
        }
    }

    /** Binary for {@code byte[]}, JSON for everything else. */
    public static PayloadCodecs defaults() {
        return new PayloadCodecs(List.of(new BinaryPayloadCodec(), new JsonPayloadCodec()));
    }

    /** The given codecs, tried in order when encoding, then the defaults. */
    public static PayloadCodecs of(PayloadCodec... first) {
        List<PayloadCodec> all = new ArrayList<>(List.of(first));
        all.add(new BinaryPayloadCodec());
        all.add(new JsonPayloadCodec());
        return new PayloadCodecs(all);
    }

    public Payload encode(Object value) {
        for (PayloadCodec c : encodeOrder) {
            if (c.canEncode(value)) {
                return c.encode(value);
            }
        }
        throw new IllegalArgumentException("no payload codec can encode " + value.getClass().getName());
    }

    public <T> T decode(Payload payload, Class<T> type) {
        if (payload == null) {
            return null;
        }
        PayloadCodec codec = byEncoding.get(payload.getEncoding());
        if (codec == null) {
            throw new PayloadDecodeException("no payload codec for encoding '" + payload.getEncoding()
                    + "'; known: " + byEncoding.keySet(), null);
        }
        return codec.decode(payload, type);
    }
}
