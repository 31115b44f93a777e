package io.fibflow.api.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fibflow.avro.Payload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * UTF-8 JSON payloads ({@code json/plain}) through Jackson; unknown properties are ignored when
 * decoding, so producers may add fields before consumers know them (DESIGN §3).
 */
public final class JsonPayloadCodec implements PayloadCodec {

    public static final String ENCODING = "json/plain";

    private final ObjectMapper mapper;

    public JsonPayloadCodec() {
        this(JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).findAndAddModules().build());
    }

    /** Uses the given mapper as it is (configure unknown-property handling on it yourself). */
    public JsonPayloadCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String encoding() {
        return ENCODING;
    }

    @Override
    public boolean canEncode(Object value) {
        return !(value instanceof byte[]);
    }

    @Override
    public Payload encode(Object value) {
        try {
            return new Payload(ENCODING, ByteBuffer.wrap(mapper.writeValueAsBytes(value)), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public <T> T decode(Payload payload, Class<T> type) {
        try {
            ByteBuffer data = payload.getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new PayloadDecodeException("payload is not JSON for " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
