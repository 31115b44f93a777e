package io.fibflow.embedded.interop;

import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** fibflow's client and serde against fibflow's own embedded registry. */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedRegistryConformanceIT extends RegistryConformance {

    private static KafkaEndpoints kafka;

    @BeforeAll
    static void endpoints(KafkaEndpoints endpoints) {
        kafka = endpoints;
    }

    @Override
    String registryUrl() {
        return kafka.schemaRegistryUrl();
    }

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}
