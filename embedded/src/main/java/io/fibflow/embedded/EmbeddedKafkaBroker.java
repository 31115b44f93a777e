package io.fibflow.embedded;

import io.fibflow.embedded.internals.BrokerProperties;
import io.fibflow.embedded.internals.BrokerStorage;
import io.fibflow.embedded.internals.Directories;
import io.fibflow.embedded.internals.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft mode, running in this JVM as a single node that is
 * both broker and controller, listening on 127.0.0.1 only.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
 *     broker.start();
 *     String bootstrap = broker.bootstrapServers();   // "127.0.0.1:PORT"
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@code NEW -> RUNNING -> CLOSED}; {@link #start()} from any state but NEW
 * throws, {@link #close()} is idempotent. With an explicit {@link Builder#dataDir(Path)}
 * the data survives {@link #close()} and a new broker on the same directory restarts with
 * the same cluster id, ports and records; without one a temporary directory is used and
 * deleted on close.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private enum State { NEW, RUNNING, CLOSED }

    private final Optional<Path> configuredDataDir;
    private final int configuredBrokerPort;
    private final int configuredControllerPort;
    private final Duration startTimeout;
    private final Map<String, String> overrides;

    private State state = State.NEW;
    private Path dataDir;
    private boolean temporary;
    private boolean restarted;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private String clusterId;
    private Duration startupTime = Duration.ZERO;

    private EmbeddedKafkaBroker(Builder builder) {
        this.configuredDataDir = Optional.ofNullable(builder.dataDir);
        this.configuredBrokerPort = builder.brokerPort;
        this.configuredControllerPort = builder.controllerPort;
        this.startTimeout = builder.startTimeout;
        this.overrides = Map.copyOf(builder.overrides);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it is new, starts the broker and returns once an admin
     * client sees it in the cluster.
     *
     * @throws EmbeddedStackException if it does not start within the start timeout
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (state != State.NEW) {
            throw new IllegalStateException("Broker can only start once; it is " + state);
        }
        long begin = System.nanoTime();
        try {
            prepareDataDir();
            BrokerStorage storage = new BrokerStorage(dataDir);
            int brokerPort = choosePort(configuredBrokerPort, storage, "broker.port");
            int controllerPort = choosePort(configuredControllerPort, storage, "controller.port");
            Optional<String> existing = storage.existingClusterId();
            restarted = existing.isPresent();
            clusterId = existing.isPresent()
                ? existing.get()
                : storage.format(BrokerProperties.NODE_ID, BrokerProperties.CONTROLLER_LISTENER,
                    FreePorts.LOOPBACK, controllerPort);
            storage.rememberPorts(brokerPort, controllerPort);

            Properties props = BrokerProperties.build(
                storage.logDir(), FreePorts.LOOPBACK, brokerPort, controllerPort, overrides);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            bootstrapServers = FreePorts.LOOPBACK + ":" + brokerPort;
            state = State.RUNNING;
            awaitReady(begin);
        } catch (Exception e) {
            state = State.RUNNING; // so that close() releases whatever did start
            close();
            throw e instanceof EmbeddedStackException ese ? ese
                : new EmbeddedStackException("Embedded Kafka broker failed to start in " + dataDir, e);
        }
        startupTime = Duration.ofNanos(System.nanoTime() - begin);
        log.info("Embedded Kafka broker {} ready at {} in {} ms (cluster {}, data {}{})",
            BrokerProperties.NODE_ID, bootstrapServers, startupTime.toMillis(), clusterId, dataDir,
            restarted ? ", restarted" : "");
        return this;
    }

    private void prepareDataDir() throws IOException {
        if (configuredDataDir.isPresent()) {
            dataDir = configuredDataDir.get().toAbsolutePath();
            Files.createDirectories(dataDir);
            temporary = false;
        } else {
            dataDir = Files.createTempDirectory("fibflow-kafka-");
            temporary = true;
        }
    }

    private static int choosePort(int configured, BrokerStorage storage, String name) {
        if (configured > 0) {
            return configured;
        }
        return storage.rememberedPort(name).orElseGet(FreePorts::next);
    }

    private void awaitReady(long beginNanos) throws InterruptedException {
        long deadline = beginNanos + startTimeout.toNanos();
        Map<String, Object> config = Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    var nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    if (nodes.stream().map(Node::id).anyMatch(id -> id == BrokerProperties.NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                TimeUnit.MILLISECONDS.sleep(100); // poll interval of a condition with a deadline
            }
        }
        throw new EmbeddedStackException("Embedded Kafka broker at " + bootstrapServers
            + " was not ready within " + startTimeout, last);
    }

    /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("Broker has not been started");
        }
        return bootstrapServers;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Wall time that {@link #start()} took, formatting included. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Shuts the broker down, waits for it, and deletes the data directory if temporary. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        State before = state;
        state = State.CLOSED;
        if (before == State.NEW) {
            return;
        }
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                log.warn("Embedded Kafka broker at {} did not shut down cleanly", bootstrapServers, e);
            }
            server = null;
        }
        if (temporary) {
            Directories.deleteQuietly(dataDir);
        }
        log.info("Embedded Kafka broker at {} closed", bootstrapServers);
    }

    /** Options of an {@link EmbeddedKafkaBroker}; validated as they are set. */
    public static final class Builder {
        private Path dataDir;
        private int brokerPort;
        private int controllerPort;
        private Duration startTimeout = Duration.ofSeconds(90);
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** Keeps the broker's data here, across restarts; default: a temporary directory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
                throw new IllegalArgumentException("dataDir is not a directory: " + dataDir);
            }
            return this;
        }

        /** Client port on 127.0.0.1; 0 (default) picks a free one, or reuses the data dir's. */
        public Builder brokerPort(int port) {
            this.brokerPort = checkPort(port, "brokerPort");
            return this;
        }

        /** Controller port on 127.0.0.1; 0 (default) picks a free one, or reuses the data dir's. */
        public Builder controllerPort(int port) {
            this.controllerPort = checkPort(port, "controllerPort");
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /** Any broker setting; it wins over the embedded defaults. */
        public Builder brokerProperty(String key, String value) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("broker property key must not be blank, was '" + key + "'");
            }
            overrides.put(key, Objects.requireNonNull(value, "value of " + key));
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        private static int checkPort(int port, String name) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
            }
            return port;
        }
    }
}
