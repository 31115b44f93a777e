package io.fibflow.topology;

import io.fibflow.api.topics.TopicPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of one topology instance; every setter validates its argument and names
 * the offending value.
 *
 * <pre>{@code
 * TopologySettings settings = TopologySettings.builder()
 *         .plan(plan)
 *         .bootstrapServers("localhost:9092")
 *         .stateDir(Path.of("/var/lib/fibflow/topology-1"))
 *         .build();
 * }</pre>
 */
public final class TopologySettings {

    public static final String DEFAULT_APPLICATION_ID = "fibflow-topology";
    public static final int DEFAULT_HISTORY_SIZE = 100;
    public static final long DEFAULT_ROCKSDB_CACHE_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_ROCKSDB_WRITE_BUFFER_BYTES = 16L * 1024 * 1024;

    private final TopicPlan plan;
    private final String applicationId;
    private final String bootstrapServers;
    private final Path stateDir;
    private final int historySize;
    private final long rocksDbCacheBytes;
    private final long rocksDbWriteBufferBytes;
    private final int streamThreads;
    private final Duration startupTimeout;
    private final Map<String, Object> overrides;

    private TopologySettings(Builder b) {
        this.plan = b.plan;
        // Environments that share a cluster through a topic prefix must not share a Streams group either.
        this.applicationId = b.applicationId != null ? b.applicationId : b.plan.names().prefix() + DEFAULT_APPLICATION_ID;
        this.bootstrapServers = b.bootstrapServers;
        this.stateDir = b.stateDir;
        this.historySize = b.historySize;
        this.rocksDbCacheBytes = b.rocksDbCacheBytes;
        this.rocksDbWriteBufferBytes = b.rocksDbWriteBufferBytes;
        this.streamThreads = b.streamThreads;
        this.startupTimeout = b.startupTimeout;
        this.overrides = Map.copyOf(b.overrides);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Topic names, the shared event partition count and the record-size limit. */
    public TopicPlan plan() {
        return plan;
    }

    /** The Streams application id: as set, else the plan's topic prefix + {@value #DEFAULT_APPLICATION_ID}. */
    public String applicationId() {
        return applicationId;
    }

    /** Null when the settings only build a {@code Topology} (tests); required to run Streams. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** This instance's own Streams {@code state.dir}; null only when no Streams instance is run. */
    public Path stateDir() {
        return stateDir;
    }

    /** How many of the latest applied events of each task the history store keeps. */
    public int historySize() {
        return historySize;
    }

    /** Size of the one RocksDB block cache shared by every store of the process. */
    public long rocksDbCacheBytes() {
        return rocksDbCacheBytes;
    }

    /** Memtable memory, charged against the shared cache. */
    public long rocksDbWriteBufferBytes() {
        return rocksDbWriteBufferBytes;
    }

    public int streamThreads() {
        return streamThreads;
    }

    /** How long the start-up topic check may wait for the cluster. */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** Extra Streams, consumer or producer properties; fibflow's guarantees are not overridable. */
    public Map<String, Object> overrides() {
        return overrides;
    }

    /** Builds {@link TopologySettings}. */
    public static final class Builder {
        private TopicPlan plan = TopicPlan.defaults();
        /** Null until set: then the plan's prefix + {@link #DEFAULT_APPLICATION_ID}. */
        private String applicationId;
        private String bootstrapServers;
        private Path stateDir;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private long rocksDbCacheBytes = DEFAULT_ROCKSDB_CACHE_BYTES;
        private long rocksDbWriteBufferBytes = DEFAULT_ROCKSDB_WRITE_BUFFER_BYTES;
        private int streamThreads = 1;
        private Duration startupTimeout = Duration.ofSeconds(30);
        private final Map<String, Object> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder plan(TopicPlan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        public Builder applicationId(String applicationId) {
            if (applicationId == null || !applicationId.matches("[a-zA-Z0-9._-]{1,200}")) {
                throw new IllegalArgumentException("applicationId must be 1-200 letters, digits, '.', '_' or '-', got '"
                        + applicationId + "'");
            }
            this.applicationId = applicationId;
            return this;
        }

        public Builder bootstrapServers(String bootstrapServers) {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers must not be blank, got '" + bootstrapServers + "'");
            }
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder stateDir(Path stateDir) {
            this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
            return this;
        }

        public Builder historySize(int historySize) {
            if (historySize < 1) {
                throw new IllegalArgumentException("historySize must be >= 1, got " + historySize);
            }
            this.historySize = historySize;
            return this;
        }

        public Builder rocksDbCacheBytes(long bytes) {
            if (bytes < 1024 * 1024) {
                throw new IllegalArgumentException("rocksDbCacheBytes must be >= 1 MiB, got " + bytes);
            }
            this.rocksDbCacheBytes = bytes;
            return this;
        }

        public Builder rocksDbWriteBufferBytes(long bytes) {
            if (bytes < 64 * 1024) {
                throw new IllegalArgumentException("rocksDbWriteBufferBytes must be >= 64 KiB, got " + bytes);
            }
            this.rocksDbWriteBufferBytes = bytes;
            return this;
        }

        public Builder streamThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("streamThreads must be >= 1, got " + threads);
            }
            this.streamThreads = threads;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, got " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        public Builder override(String key, Object value) {
            this.overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value of " + key));
            return this;
        }

        public TopologySettings build() {
            if (rocksDbWriteBufferBytes > rocksDbCacheBytes) {
                throw new IllegalArgumentException("rocksDbWriteBufferBytes (" + rocksDbWriteBufferBytes
                        + ") must not exceed rocksDbCacheBytes (" + rocksDbCacheBytes + ")");
            }
            return new TopologySettings(this);
        }
    }
}
