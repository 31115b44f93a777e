package io.fibflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.topics.TopicPlan;
import io.fibflow.topology.internals.RocksDbMemory;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class FibflowStreamsTest {

    private final TopicPlan plan = TopicPlan.builder().maxRecordBytes(2 * 1024 * 1024).build();

    @Test
    void shouldRunExactlyOnceWithBoundedRocksDbWhenPropertiesAreBuilt() {
        TopologySettings settings = TopologySettings.builder().plan(plan).bootstrapServers("b:9092")
                .stateDir(Path.of("/tmp/fibflow-a")).rocksDbCacheBytes(32L * 1024 * 1024)
                .override(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
                .override(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50)
                .build();

        Properties props = FibflowStreams.properties(settings);
        StreamsConfig config = new StreamsConfig(props);

        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("/tmp/fibflow-a", config.getString(StreamsConfig.STATE_DIR_CONFIG));
        assertEquals(50L, config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(RocksDbMemory.class, config.getClass(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertEquals(Long.toString(32L * 1024 * 1024), props.get(RocksDbMemory.CACHE_BYTES));
        assertEquals(Integer.toString(plan.maxRecordBytes()),
                props.get(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)));
        assertTrue((int) props.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)) >= plan.maxRecordBytes());
    }

    @Test
    void shouldRefuseWhenStateDirIsMissing() {
        TopologySettings settings = TopologySettings.builder().bootstrapServers("b:9092").build();

        NullPointerException e = assertThrows(NullPointerException.class, () -> FibflowStreams.properties(settings));

        assertTrue(e.getMessage().contains("stateDir"), e.getMessage());
    }

    @Test
    void shouldNameTheOffendingValueWhenASettingIsInvalid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopologySettings.builder().historySize(0));

        assertTrue(e.getMessage().contains("historySize") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void shouldPrefixTheDefaultApplicationIdWithTheTopicPrefix() {
        TopologySettings staging = TopologySettings.builder().plan(TopicPlan.builder().prefix("staging.").build())
                .bootstrapServers("b:9092").build();
        TopologySettings plain = TopologySettings.builder().bootstrapServers("b:9092").build();
        TopologySettings named = TopologySettings.builder().plan(TopicPlan.builder().prefix("staging.").build())
                .applicationId("mine").bootstrapServers("b:9092").build();

        assertEquals("staging.fibflow-topology", staging.applicationId(), "environments sharing a cluster stay apart");
        assertEquals("fibflow-topology", plain.applicationId());
        assertEquals("mine", named.applicationId());
    }
}
