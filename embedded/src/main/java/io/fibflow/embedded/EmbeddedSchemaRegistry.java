package io.fibflow.embedded;

import com.sun.net.httpserver.HttpServer;
import io.fibflow.embedded.internals.FreePorts;
import io.fibflow.embedded.internals.registry.CompatibilityLevel;
import io.fibflow.embedded.internals.registry.CompatibilityResource;
import io.fibflow.embedded.internals.registry.ConfigResource;
import io.fibflow.embedded.internals.registry.RegistryService;
import io.fibflow.embedded.internals.registry.Router;
import io.fibflow.embedded.internals.registry.SchemaLog;
import io.fibflow.embedded.internals.registry.SchemaResources;
import io.fibflow.embedded.internals.registry.SubjectResources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Schema Registry speaking the subset of Confluent's REST API that Avro
 * serdes and the usual tooling use, on the JDK's HTTP server, bound to 127.0.0.1.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
 *         .bootstrapServers(broker.bootstrapServers()).build()) {
 *     registry.start();
 *     String url = registry.url();   // "http://127.0.0.1:PORT"
 * }
 * }</pre>
 *
 * <p>State lives in a compacted {@code _schemas} topic: every change is written with
 * {@code acks=all} before the answer, and {@link #start()} replays the topic, so the
 * registry survives a restart against the same broker data. Only one registry instance
 * should write to a given topic at a time (it does not follow other writers).
 *
 * <p>Supported: Avro only; {@code /subjects}, {@code /schemas/ids}, {@code /compatibility},
 * {@code /config}; soft delete of subjects. Not supported: schema references, modes,
 * contexts, hard delete.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    private enum State { NEW, RUNNING, CLOSED }

    private final String bootstrapServers;
    private final int requestedPort;
    private final String topic;
    private final CompatibilityLevel defaultLevel;
    private final Duration startTimeout;

    private State state = State.NEW;
    private SchemaLog schemaLog;
    private HttpServer server;
    private ExecutorService executor;
    private String url;
    private Duration startupTime = Duration.ZERO;

    private EmbeddedSchemaRegistry(Builder builder) {
        this.bootstrapServers = builder.bootstrapServers;
        this.requestedPort = builder.port;
        this.topic = builder.topic;
        this.defaultLevel = builder.defaultLevel;
        this.startTimeout = builder.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Creates the topic if needed, replays it, and starts answering HTTP. */
    public synchronized EmbeddedSchemaRegistry start() {
        if (state != State.NEW) {
            throw new IllegalStateException("Schema Registry can only start once; it is " + state);
        }
        state = State.RUNNING;
        long begin = System.nanoTime();
        try {
            schemaLog = new SchemaLog(bootstrapServers, topic);
            schemaLog.ensureTopic(startTimeout);
            RegistryService service = new RegistryService(schemaLog, defaultLevel);
            int records = service.load(startTimeout);

            Router router = new Router();
            new SubjectResources(service).addTo(router);
            new SchemaResources(service).addTo(router);
            new CompatibilityResource(service).addTo(router);
            new ConfigResource(service).addTo(router);

            server = HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(FreePorts.LOOPBACK), requestedPort), 50);
            server.createContext("/", router);
            executor = Executors.newFixedThreadPool(4, daemonThreads());
            server.setExecutor(executor);
            server.start();
            url = "http://" + FreePorts.LOOPBACK + ":" + server.getAddress().getPort();
            startupTime = Duration.ofNanos(System.nanoTime() - begin);
            log.info("Embedded Schema Registry ready at {} in {} ms ({} records replayed from {})",
                url, startupTime.toMillis(), records, topic);
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new EmbeddedStackException("Interrupted while starting the Schema Registry", e);
        } catch (IOException | RuntimeException e) {
            close();
            throw new EmbeddedStackException("Schema Registry failed to start against " + bootstrapServers, e);
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:PORT}, for {@code schema.registry.url}. */
    public String url() {
        if (url == null) {
            throw new IllegalStateException("Schema Registry has not been started");
        }
        return url;
    }

    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (schemaLog != null) {
            schemaLog.close();
        }
        if (url != null) {
            log.info("Embedded Schema Registry at {} closed", url);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "fibflow-schema-registry-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Options of an {@link EmbeddedSchemaRegistry}; validated as they are set. */
    public static final class Builder {
        private String bootstrapServers;
        private int port;
        private String topic = "_schemas";
        private CompatibilityLevel defaultLevel = CompatibilityLevel.BACKWARD;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The Kafka cluster that stores the schemas (required). */
        public Builder bootstrapServers(String bootstrapServers) {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers must not be blank, was '" + bootstrapServers + "'");
            }
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** HTTP port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The compacted topic holding the schemas; default {@code _schemas}. */
        public Builder topic(String topic) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("topic must not be blank, was '" + topic + "'");
            }
            this.topic = topic;
            return this;
        }

        /** Global level until a {@code PUT /config} changes it; default BACKWARD. */
        public Builder defaultCompatibility(String level) {
            try {
                this.defaultLevel = CompatibilityLevel.valueOf(Objects.requireNonNull(level, "level"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown compatibility level '" + level + "'", e);
            }
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        public EmbeddedSchemaRegistry build() {
            if (bootstrapServers == null) {
                throw new IllegalStateException("bootstrapServers is required");
            }
            return new EmbeddedSchemaRegistry(this);
        }
    }
}
