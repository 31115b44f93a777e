package io.fibflow.embedded.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fibflow.embedded.KafkaEndpoints;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedStackTest {
    @Test
    void shouldUseExternalEndpointsWithoutStartingAnythingWhenBothAreGiven() {
        try (SharedStack stack = SharedStack.start(Map.of(
            SharedStack.BOOTSTRAP_ENV, " kafka-1:9092,kafka-2:9092 ",
            SharedStack.REGISTRY_ENV, "http://registry:8081"))) {
            assertEquals(new KafkaEndpoints("kafka-1:9092,kafka-2:9092", "http://registry:8081"), stack.endpoints());
        }
    }
}
