package io.fibflow.embedded.interop;

import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fibflow's client and serde against Apicurio Registry's Confluent-compatible API: a real
 * third-party registry, run from its Maven Central distribution.
 */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ApicurioRegistryConformanceIT extends RegistryConformance {

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistryConformanceIT.class);

    private static KafkaEndpoints kafka;
    private static ApicurioProcess apicurio;

    @BeforeAll
    static void startApicurio(KafkaEndpoints endpoints) throws Exception {
        kafka = endpoints;
        Interop.requireTool(Files.isRegularFile(Interop.apicurioJar()), "Apicurio Registry " + Interop.APICURIO_VERSION);
        apicurio = ApicurioProcess.start(Interop.apicurioJar(), Duration.ofSeconds(120));
        log.info("Apicurio Registry {} ready at {} after {} ms", Interop.APICURIO_VERSION, apicurio.url(),
                apicurio.startupTime().toMillis());
    }

    @AfterAll
    static void stopApicurio() throws Exception {
        if (apicurio != null) {
            apicurio.close();
        }
    }

    @Override
    String registryUrl() {
        return apicurio.url();
    }

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}
