package io.fibflow.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.TaskFailure;
import io.fibflow.avro.Payload;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadCodecsTest {

    record Chunk(String id, int rows) {
    }

    private final PayloadCodecs codecs = PayloadCodecs.defaults();

    @Test
    void shouldEncodeObjectsAsJsonAndBytesAsBinary() {
        Payload json = codecs.encode(Map.of("id", "c1", "rows", 3));
        assertEquals("json/plain", json.getEncoding());
        assertEquals(new Chunk("c1", 3), codecs.decode(json, Chunk.class));
        Payload bin = codecs.encode(new byte[] {1, 2, 3});
        assertEquals("binary/plain", bin.getEncoding());
        assertArrayEquals(new byte[] {1, 2, 3}, codecs.decode(bin, byte[].class));
    }

    @Test
    void shouldIgnoreUnknownPropertiesWhenDecodingJson() {
        Payload p = json("{\"id\":\"c2\",\"rows\":5,\"addedLater\":true}");
        assertEquals(new Chunk("c2", 5), codecs.decode(p, Chunk.class));
    }

    @Test
    void shouldFailNonRetryablyWhenThePayloadDoesNotDecode() {
        PayloadDecodeException e = assertThrows(PayloadDecodeException.class,
                () -> codecs.decode(json("not json"), Chunk.class));
        assertTrue(e.isNonRetryable());
        assertEquals(TaskFailure.PAYLOAD_DECODE, e.type());
        e = assertThrows(PayloadDecodeException.class,
                () -> codecs.decode(new Payload("x/unknown", ByteBuffer.allocate(0), Map.of()), Chunk.class));
        assertTrue(e.getMessage().contains("x/unknown"));
    }

    private static Payload json(String s) {
        return new Payload("json/plain", ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), Map.of());
    }
}
