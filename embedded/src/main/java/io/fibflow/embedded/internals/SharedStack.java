package io.fibflow.embedded.internals;

import io.fibflow.embedded.EmbeddedKafkaBroker;
import io.fibflow.embedded.EmbeddedSchemaRegistry;
import io.fibflow.embedded.KafkaEndpoints;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker and registry one JVM shares: external ones named by environment variables,
 * or embedded ones started here. Only what was started here is closed here.
 */
public final class SharedStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedStack.class);
    public static final String BOOTSTRAP_ENV = "FIBFLOW_BOOTSTRAP_SERVERS";
    public static final String REGISTRY_ENV = "FIBFLOW_SCHEMA_REGISTRY_URL";

    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;
    private final KafkaEndpoints endpoints;

    private SharedStack(EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry, KafkaEndpoints endpoints) {
        this.broker = broker;
        this.registry = registry;
        this.endpoints = endpoints;
    }

    /** Uses the environment's endpoints where given and starts embedded ones for the rest. */
    public static SharedStack start(Map<String, String> env) {
        String bootstrap = blankToNull(env.get(BOOTSTRAP_ENV));
        String registryUrl = blankToNull(env.get(REGISTRY_ENV));
        // A Testcontainers Kafka would slot in here when a Docker engine is available (DESIGN §9).
        EmbeddedKafkaBroker broker = null;
        if (bootstrap == null) {
            broker = EmbeddedKafkaBroker.builder().build().start();
            bootstrap = broker.bootstrapServers();
        } else {
            log.info("Using external Kafka at {} (from {})", bootstrap, BOOTSTRAP_ENV);
        }
        EmbeddedSchemaRegistry registry = null;
        if (registryUrl == null) {
            try {
                registry = EmbeddedSchemaRegistry.builder().bootstrapServers(bootstrap).build().start();
            } catch (RuntimeException e) {
                if (broker != null) {
                    broker.close();
                }
                throw e;
            }
            registryUrl = registry.url();
        } else {
            log.info("Using external Schema Registry at {} (from {})", registryUrl, REGISTRY_ENV);
        }
        return new SharedStack(broker, registry, new KafkaEndpoints(bootstrap, registryUrl));
    }

    public KafkaEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
