package io.fibflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", "127.0.0.1:9092");
        p.put("schema.registry.url", "http://127.0.0.1:8081");
        return p;
    }

    @Test
    void shouldApplyDocumentedDefaults() {
        WorkerConfig c = new WorkerConfig(minimal());
        assertEquals(List.of("default"), c.capabilities());
        assertEquals(8, c.getInt(WorkerConfig.MAX_CONCURRENCY));
        assertEquals("classic", c.getString(WorkerConfig.GROUP_PROTOCOL));
        assertEquals(100L, c.getLong(WorkerConfig.COMMIT_INTERVAL_MS));
        assertTrue(c.workerId().matches(".+-[0-9a-f]{8}"), c.workerId());
    }

    @Test
    void shouldFailNamingTheKeyWhenRequiredSettingsAreMissing() {
        ConfigException e = assertThrows(ConfigException.class, () -> new WorkerConfig(Map.of("schema.registry.url", "x")));
        assertTrue(e.getMessage().contains("bootstrap.servers"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new WorkerConfig(Map.of("bootstrap.servers", "h:1")));
        assertTrue(e.getMessage().contains("schema.registry.url"), e.getMessage());
    }

    @Test
    void shouldFailNamingTheKeyWhenAValueIsInvalid() {
        Map<String, Object> p = minimal();
        p.put(WorkerConfig.MAX_CONCURRENCY, "0");
        ConfigException e = assertThrows(ConfigException.class, () -> new WorkerConfig(p));
        assertTrue(e.getMessage().contains(WorkerConfig.MAX_CONCURRENCY), e.getMessage());

        Map<String, Object> q = minimal();
        q.put(WorkerConfig.CAPABILITIES, "gpu,high memory");
        e = assertThrows(ConfigException.class, () -> new WorkerConfig(q));
        assertTrue(e.getMessage().contains(WorkerConfig.CAPABILITIES) && e.getMessage().contains("high memory"),
                e.getMessage());

        Map<String, Object> r = minimal();
        r.put(WorkerConfig.GROUP_PROTOCOL, "share");
        e = assertThrows(ConfigException.class, () -> new WorkerConfig(r));
        assertTrue(e.getMessage().contains(WorkerConfig.GROUP_PROTOCOL), e.getMessage());

        Map<String, Object> s = minimal();
        s.put(WorkerConfig.HEARTBEAT_INTERVAL_MS, "20000");
        e = assertThrows(ConfigException.class, () -> new WorkerConfig(s));
        assertTrue(e.getMessage().contains(WorkerConfig.HEARTBEAT_INTERVAL_MS), e.getMessage());
    }

    @Test
    void shouldPassKafkaAndRegistrySettingsThrough() {
        Map<String, Object> p = minimal();
        p.put("kafka.security.protocol", "SSL");
        p.put("kafka.ssl.truststore.location", "/etc/truststore.jks");
        p.put("basic.auth.user.info", "u:p");
        WorkerConfig c = new WorkerConfig(p);
        assertEquals("SSL", c.kafkaClientProperties().get("security.protocol"));
        assertEquals("/etc/truststore.jks", c.kafkaClientProperties().get("ssl.truststore.location"));
        assertEquals("127.0.0.1:9092", c.kafkaClientProperties().get("bootstrap.servers"));
        assertEquals("u:p", c.registryProperties().get("basic.auth.user.info"));
    }

    @Test
    void shouldKeepTheGeneratedConfigurationReferenceUpToDate() throws Exception {
        // Regenerate with: mvn -pl worker-runtime test -Dtest=WorkerConfigTest -Dfibflow.docs.write=true
        Path doc = Path.of(System.getProperty("user.dir")).resolve("../docs/worker-config.md").normalize();
        String generated = WorkerConfig.toMarkdown();
        if (Boolean.getBoolean("fibflow.docs.write")) {
            Files.writeString(doc, generated);
        }
        assertEquals(generated, Files.readString(doc), "docs/worker-config.md is stale; regenerate it (see comment)");
    }
}
