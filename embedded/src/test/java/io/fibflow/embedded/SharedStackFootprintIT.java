package io.fibflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared stack is one per JVM, and what it costs in heap (logged, loosely bounded). */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedStackFootprintIT {
    private static final Logger log = LoggerFactory.getLogger(SharedStackFootprintIT.class);

    private final KafkaEndpoints fromConstructor;

    SharedStackFootprintIT(KafkaEndpoints kafka) {
        this.fromConstructor = kafka;
    }

    @Test
    void shouldShareOneStackPerJvm(KafkaEndpoints kafka) {
        assertEquals(fromConstructor, kafka);
        assertEquals(SharedKafka.endpoints(), kafka);
        assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"), kafka.bootstrapServers());
        assertTrue(kafka.schemaRegistryUrl().startsWith("http://127.0.0.1:"), kafka.schemaRegistryUrl());
    }

    @Test
    void shouldLogHeapUsedWithBrokerAndRegistryRunning(KafkaEndpoints kafka) {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long usedMiB = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        log.info("Heap used after GC with broker and registry running: {} MiB (total {} MiB, max {} MiB)",
            usedMiB, runtime.totalMemory() / (1024 * 1024), runtime.maxMemory() / (1024 * 1024));
        // A loose ceiling that catches a regression like the log cleaner's 128 MiB buffer.
        assertTrue(usedMiB < 256, "heap used " + usedMiB + " MiB");
    }
}
