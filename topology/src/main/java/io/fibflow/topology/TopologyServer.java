package io.fibflow.topology;

import io.fibflow.api.client.TaskClient;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.topology.internals.http.ApiServer;
import io.fibflow.topology.internals.http.WorkersView;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One topology instance with its HTTP API (base path {@code /api/v1}): the Streams application
 * that tracks every task, and interactive queries any instance answers (forwarding per-key
 * queries to the owner, fanning lists out to all instances).
 *
 * <pre>{@code
 * try (TopologyServer server = TopologyServer.builder()
 *         .settings(TopologySettings.builder().plan(plan).bootstrapServers("127.0.0.1:9092")
 *                 .stateDir(Path.of("/var/lib/fibflow/topology-1")).build())
 *         .schemaRegistryUrl("http://127.0.0.1:8081")
 *         .httpPort(8080)
 *         .build()) {
 *     server.start();
 *     ...
 * }   // closes Streams with LEAVE_GROUP: the other instances take over at once
 * }</pre>
 */
public final class TopologyServer implements AutoCloseable {

    private final Builder b;
    private final SchemaRegistryClient registry;
    private final TaskClient client;
    private final ApiServer api;
    private FibflowStreams streams;
    private WorkersView workers;
    private int port;

    private TopologyServer(Builder b) {
        this.b = b;
        this.registry = new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(b.registryUrl).build());
        this.client = TaskClient.builder().bootstrapServers(b.settings.bootstrapServers()).registryClient(registry)
                .topicPlan(b.settings.plan()).clientId("fibflow-topology-api").build();
        this.api = new ApiServer(client);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the API, then starts Streams advertising this instance's address for interactive queries. */
    public TopologyServer start() {
        port = api.start(b.httpHost, b.httpPort);
        String advertised = b.advertisedHost == null ? b.httpHost : b.advertisedHost;
        TopologySettings.Builder settings = TopologySettings.builder().plan(b.settings.plan())
                .applicationId(b.settings.applicationId()).bootstrapServers(b.settings.bootstrapServers())
                .stateDir(b.settings.stateDir()).historySize(b.settings.historySize())
                .rocksDbCacheBytes(b.settings.rocksDbCacheBytes()).rocksDbWriteBufferBytes(b.settings.rocksDbWriteBufferBytes())
                .streamThreads(b.settings.streamThreads()).startupTimeout(b.settings.startupTimeout());
        b.settings.overrides().forEach(settings::override);
        settings.override(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised + ":" + port);
        if (!b.settings.overrides().containsKey(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)) {
            settings.override(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, b.standbyReplicas);   // an explicit override wins
        }
        streams = FibflowStreams.create(settings.build(), new RegistrySerdeFactory(registry));
        streams.start();
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", b.settings.bootstrapServers());
        workers = new WorkersView(kafka, registry, b.settings.plan(), b.workerGoneAfter, Clock.systemUTC());
        api.attach(streams.kafkaStreams(), b.settings.plan().names().events(), advertised, port, workers);
        return this;
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:8080/api/v1}. */
    public String url() {
        String host = b.advertisedHost == null ? b.httpHost : b.advertisedHost;
        return "http://" + host + ":" + port + "/api/v1";
    }

    public FibflowStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        api.close();
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
        try {
            if (workers != null) {
                workers.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        try {
            registry.close();
        } catch (Exception ignored) {
            // closing an HTTP client
        }
    }

    /** Builds a {@link TopologyServer}; settings (plan, bootstrap servers, state dir) and a registry URL are required. */
    public static final class Builder {
        private TopologySettings settings;
        private String registryUrl;
        private String httpHost = "127.0.0.1";
        private String advertisedHost;
        private int httpPort = 8080;
        private int standbyReplicas;
        private Duration workerGoneAfter = Duration.ofSeconds(15);

        private Builder() {
        }

        public Builder settings(TopologySettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder schemaRegistryUrl(String url) {
            this.registryUrl = Objects.requireNonNull(url, "schemaRegistryUrl");
            return this;
        }

        public Builder httpHost(String host) {
            this.httpHost = Objects.requireNonNull(host, "httpHost");
            return this;
        }

        /** The host other instances use to reach this one (default: the bind host). */
        public Builder advertisedHost(String host) {
            this.advertisedHost = host;
            return this;
        }

        /** 0 picks a free port. */
        public Builder httpPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("httpPort must be 0-65535, got " + port);
            }
            this.httpPort = port;
            return this;
        }

        /** Instances of this topology that will run: with more than one, each store gets a standby replica. */
        public Builder instances(int instances) {
            if (instances < 1) {
                throw new IllegalArgumentException("instances must be >= 1, got " + instances);
            }
            this.standbyReplicas = instances > 1 ? 1 : 0;
            return this;
        }

        public Builder standbyReplicas(int replicas) {
            if (replicas < 0) {
                throw new IllegalArgumentException("standbyReplicas must be >= 0, got " + replicas);
            }
            this.standbyReplicas = replicas;
            return this;
        }

        /** A worker whose last heartbeat is older than this is shown as gone. */
        public Builder workerGoneAfter(Duration after) {
            this.workerGoneAfter = Objects.requireNonNull(after, "workerGoneAfter");
            return this;
        }

        public TopologyServer build() {
            if (settings == null || registryUrl == null) {
                throw new IllegalArgumentException("settings and schemaRegistryUrl are required");
            }
            return new TopologyServer(this);
        }
    }
}
