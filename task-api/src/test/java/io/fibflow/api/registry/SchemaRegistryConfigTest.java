package io.fibflow.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryConfigTest {

    @Test
    void shouldReadKafkaStyleKeysWhenBuiltFromAMap() {
        SchemaRegistryConfig config = SchemaRegistryConfig.fromMap(Map.of(
                "schema.registry.url", "http://a:8081, https://b:8081/apis/ccompat/v7",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "fib:flow",
                "schema.registry.request.timeout.ms", "2500",
                "schema.registry.retry.max.attempts", 5,
                "schema.registry.retry.backoff.ms", "20",
                "schema.registry.cache.capacity", "50"));

        assertEquals(List.of(URI.create("http://a:8081"), URI.create("https://b:8081/apis/ccompat/v7")), config.urls());
        assertEquals(Optional.of("fib:flow"), config.basicAuthUserInfo());
        assertEquals(Duration.ofMillis(2500), config.requestTimeout());
        assertEquals(5, config.maxAttempts());
        assertEquals(Duration.ofMillis(20), config.initialBackoff());
        assertEquals(50, config.cacheCapacity());
    }

    @Test
    void shouldTakeUserInfoFromTheUrlWhenCredentialsSourceIsUrl() {
        SchemaRegistryConfig config = SchemaRegistryConfig.fromMap(Map.of(
                "schema.registry.url", "http://fib:fl%40w@registry:8081",
                "basic.auth.credentials.source", "URL"));

        assertEquals(Optional.of("fib:fl@w"), config.basicAuthUserInfo());
        assertEquals(List.of(URI.create("http://registry:8081")), config.urls(), "no credentials left in the URL");
    }

    @Test
    void shouldNameTheKeyAndValueWhenAMapSettingIsInvalid() {
        ConfigException e = assertThrows(ConfigException.class, () -> SchemaRegistryConfig.fromMap(Map.of(
                "schema.registry.url", "http://a:8081", "schema.registry.retry.max.attempts", "0")));
        assertTrue(e.getMessage().contains("schema.registry.retry.max.attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("0"), e.getMessage());

        ConfigException source = assertThrows(ConfigException.class, () -> SchemaRegistryConfig.fromMap(Map.of(
                "schema.registry.url", "http://a:8081", "basic.auth.credentials.source", "SASL_INHERIT")));
        assertTrue(source.getMessage().contains("SASL_INHERIT"), source.getMessage());

        assertThrows(ConfigException.class, () -> SchemaRegistryConfig.fromMap(Map.of()));
        assertThrows(ConfigException.class, () -> SchemaRegistryConfig.fromMap(Map.of("schema.registry.url", "ftp://x")));
    }

    @Test
    void shouldRejectBadValuesAtTheSetterWithTheValueInTheMessage() {
        SchemaRegistryConfig.Builder builder = SchemaRegistryConfig.builder();

        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> builder.requestTimeout(Duration.ofMillis(-5)));
        assertTrue(timeout.getMessage().contains("PT-0.005S"), timeout.getMessage());
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class, () -> builder.url("localhost:8081"));
        assertTrue(url.getMessage().contains("localhost:8081"), url.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.basicAuthUserInfo("no-colon"));
        assertThrows(IllegalArgumentException.class, () -> builder.cacheCapacity(0));
        assertThrows(IllegalArgumentException.class, builder::build, "a URL is required");
    }

    @Test
    void shouldLoadATruststoreIntoAnSslContextWhenConfigured(@TempDir Path dir) throws Exception {
        Path truststore = dir.resolve("trust.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (OutputStream out = Files.newOutputStream(truststore)) {
            store.store(out, "changeit".toCharArray());
        }

        SchemaRegistryConfig config = SchemaRegistryConfig.fromMap(Map.of(
                "schema.registry.url", "https://registry:8081",
                "schema.registry.ssl.truststore.location", truststore.toString(),
                "schema.registry.ssl.truststore.password", "changeit",
                "schema.registry.ssl.truststore.type", "PKCS12"));

        assertTrue(config.sslContext().isPresent());
        ConfigException missing = assertThrows(ConfigException.class, () -> SchemaRegistryConfig.fromMap(Map.of(
                "schema.registry.url", "https://registry:8081",
                "schema.registry.ssl.truststore.location", dir.resolve("nope.jks").toString())));
        assertTrue(missing.getMessage().contains("nope.jks"), missing.getMessage());
    }
}
