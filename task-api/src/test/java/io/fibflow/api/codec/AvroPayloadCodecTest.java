package io.fibflow.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fibflow.api.registry.InMemorySchemaRegistryClient;
import io.fibflow.avro.Payload;
import io.fibflow.avro.RetryPolicy;
import io.fibflow.avro.TaskError;
import org.junit.jupiter.api.Test;

class AvroPayloadCodecTest {

    @Test
    void shouldRoundTripSpecificRecordsThroughTheRegistry() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        PayloadCodecs codecs = PayloadCodecs.of(new AvroPayloadCodec(registry));
        RetryPolicy policy = RetryPolicy.newBuilder().setInitialIntervalMs(5).setMaxIntervalMs(50).build();
        Payload p = codecs.encode(policy);
        assertEquals("avro/confluent", p.getEncoding());
        assertEquals("io.fibflow.avro.RetryPolicy", p.getMetadata().get(AvroPayloadCodec.RECORD_NAME));
        assertEquals(0, p.getData().get(0), "Confluent wire format: magic byte 0");
        assertEquals(policy, codecs.decode(p, RetryPolicy.class));
        assertEquals("json/plain", codecs.encode(java.util.Map.of("a", 1)).getEncoding(), "other values still go to JSON");
    }

    @Test
    void shouldFailToDecodeIntoTheWrongRecordType() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        PayloadCodecs codecs = PayloadCodecs.of(new AvroPayloadCodec(registry));
        Payload p = codecs.encode(RetryPolicy.newBuilder().setInitialIntervalMs(5).setMaxIntervalMs(50).build());
        assertThrows(PayloadDecodeException.class, () -> codecs.decode(p, TaskError.class));
        assertThrows(PayloadDecodeException.class, () -> codecs.decode(p, String.class));
    }
}
