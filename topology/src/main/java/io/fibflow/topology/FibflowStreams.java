package io.fibflow.topology;

import io.fibflow.api.topics.TopicPlan;
import io.fibflow.topology.internals.PartitionCheck;
import io.fibflow.topology.internals.RocksDbMemory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs the fibflow topology: exactly-once v2, this instance's own {@code state.dir}, RocksDB
 * bounded by one shared cache, and a start-up check of the event partition count.
 *
 * <pre>{@code
 * try (FibflowStreams streams = FibflowStreams.create(settings, serdes)) {
 *     streams.start();          // fails fast if task-events or task-commands do not match the plan
 *     ...
 * }                             // closes with LEAVE_GROUP so that survivors take over at once
 * }</pre>
 */
public final class FibflowStreams implements AutoCloseable {

    private final TopologySettings settings;
    private final KafkaStreams streams;

    private FibflowStreams(TopologySettings settings, KafkaStreams streams) {
        this.settings = settings;
        this.streams = streams;
    }

    public static FibflowStreams create(TopologySettings settings, SerdeFactory serdes) {
        return new FibflowStreams(settings, new KafkaStreams(FibflowTopology.build(settings, serdes), properties(settings)));
    }

    /**
     * The Streams properties of an instance. Requires bootstrap servers and a state directory;
     * user overrides apply first, so they cannot weaken the guarantees set here.
     */
    public static Properties properties(TopologySettings settings) {
        Objects.requireNonNull(settings.bootstrapServers(), "bootstrapServers is required to run the topology");
        Objects.requireNonNull(settings.stateDir(), "stateDir is required to run the topology (one per instance)");
        TopicPlan plan = settings.plan();
        Properties p = new Properties();
        p.putAll(settings.overrides());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) plan.replicationFactor());
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbMemory.class);
        p.put(RocksDbMemory.CACHE_BYTES, Long.toString(settings.rocksDbCacheBytes()));
        p.put(RocksDbMemory.WRITE_BUFFER_BYTES, Long.toString(settings.rocksDbWriteBufferBytes()));
        p.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Integer.toString(plan.maxRecordBytes()));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), FibflowTopology.changelogMaxBytes(plan));
        return p;
    }

    /** Checks the topics against the plan, then starts Streams. */
    public void start() {
        // The overrides carry the security settings, if any; Admin ignores the Streams-only keys.
        Map<String, Object> admin = new HashMap<>(settings.overrides());
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            PartitionCheck.verify(client, settings.plan(), settings.startupTimeout());
        }
        streams.start();
    }

    /** The running Streams instance, for state and interactive queries. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /** Closes Streams and leaves the group, so that the survivors take over at once. */
    public boolean close(Duration timeout) {
        return streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
