package io.fibflow.api.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic fibflow needs, with its partition count and configs, built in one place
 * (DESIGN §2): the dev stack, the tests and {@code fibflow topics create} all use it.
 *
 * <pre>{@code
 * TopicPlan plan = TopicPlan.builder()
 *         .capabilities("default", "gpu", "high-memory")
 *         .eventPartitions(12)
 *         .replicationFactor((short) 3)
 *         .build();
 * try (Admin admin = Admin.create(props)) {
 *     new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class TopicPlan {

    /** Bytes reserved for record headers and batch framing when checking a value against the limit. */
    public static final int RECORD_OVERHEAD_BYTES = 16 * 1024;

    public static final List<DelayTier> DEFAULT_DELAY_TIERS = List.of(
            DelayTier.parse("1s"), DelayTier.parse("5s"), DelayTier.parse("30s"),
            DelayTier.parse("2m"), DelayTier.parse("10m"), DelayTier.parse("1h"));

    private final TopicNames names;
    private final Map<String, Integer> capabilities;
    private final int eventPartitions;
    private final int delayPartitions;
    private final int deadLetterPartitions;
    private final int smallTopicPartitions;
    private final short replicationFactor;
    private final int maxRecordBytes;
    private final Duration taskRetention;
    private final Duration eventRetention;
    private final SortedSet<DelayTier> delayTiers;

    private TopicPlan(Builder b) {
        this.names = b.names;
        this.capabilities = Collections.unmodifiableMap(new LinkedHashMap<>(b.capabilities));
        this.eventPartitions = b.eventPartitions;
        this.delayPartitions = b.delayPartitions;
        this.deadLetterPartitions = b.deadLetterPartitions;
        this.smallTopicPartitions = b.smallTopicPartitions;
        this.replicationFactor = b.replicationFactor;
        this.maxRecordBytes = b.maxRecordBytes;
        this.taskRetention = b.taskRetention;
        this.eventRetention = b.eventRetention;
        this.delayTiers = Collections.unmodifiableSortedSet(new TreeSet<>(b.delayTiers));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The plan with defaults: pools {@code default}, {@code gpu}, {@code high-memory}. */
    public static TopicPlan defaults() {
        return builder().build();
    }

    public TopicNames names() {
        return names;
    }

    /** Capability name → partitions of its {@code tasks.<capability>} topic, in declaration order. */
    public Map<String, Integer> capabilities() {
        return capabilities;
    }

    public boolean hasCapability(String capability) {
        return capabilities.containsKey(capability);
    }

    /** Partition count shared by task-events, task-commands and the topology's repartition topics. */
    public int eventPartitions() {
        return eventPartitions;
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    /** The one record-size limit: topic {@code max.message.bytes} and producer {@code max.request.size}. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** The largest serialized value a producer may send: the limit minus header and framing room. */
    public int maxValueBytes() {
        return maxRecordBytes - RECORD_OVERHEAD_BYTES;
    }

    /** Delay tiers, shortest first. */
    public SortedSet<DelayTier> delayTiers() {
        return delayTiers;
    }

    /** Producer settings every fibflow producer takes from the plan. */
    public Map<String, Object> producerOverrides() {
        return Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
    }

    /** Every topic of the plan, with partitions and configs. */
    public List<TopicSpec> topics() {
        List<TopicSpec> specs = new ArrayList<>();
        Map<String, String> taskConfigs = retained(taskRetention);
        capabilities.forEach((capability, partitions) ->
                specs.add(spec(names.tasks(capability), partitions, taskConfigs)));
        Map<String, String> delayConfigs = new LinkedHashMap<>(taskConfigs);
        delayConfigs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        for (DelayTier tier : delayTiers) {
            specs.add(spec(names.delay(tier), delayPartitions, delayConfigs));
        }
        specs.add(spec(names.deadLetter(), deadLetterPartitions, taskConfigs));
        specs.add(spec(names.events(), eventPartitions, retained(eventRetention)));
        specs.add(spec(names.commands(), eventPartitions, retained(eventRetention)));
        specs.add(spec(names.cancellations(), smallTopicPartitions, compacted()));
        specs.add(spec(names.schedules(), smallTopicPartitions, compacted()));
        specs.add(spec(names.workers(), smallTopicPartitions, compacted()));
        return List.copyOf(specs);
    }

    /** Topics whose partition count must equal the plan's, not merely reach it (DESIGN §2). */
    boolean requiresExactPartitions(String topic) {
        return topic.equals(names.events()) || topic.equals(names.commands());
    }

    private TopicSpec spec(String name, int partitions, Map<String, String> configs) {
        Map<String, String> all = new LinkedHashMap<>(configs);
        all.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxRecordBytes));
        if (replicationFactor > 1) {
            all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(2, replicationFactor)));
        }
        return new TopicSpec(name, partitions, replicationFactor, all);
    }

    private static Map<String, String> retained(Duration retention) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.isNegative() ? -1 : retention.toMillis()));
        return c;
    }

    private static Map<String, String> compacted() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** Builds a {@link TopicPlan}; every setter validates its argument and names the offending value. */
    public static final class Builder {
        private TopicNames names = TopicNames.defaults();
        private final Map<String, Integer> capabilities = new LinkedHashMap<>();
        private int defaultTaskPartitions = 6;
        private int eventPartitions = 6;
        private int delayPartitions = 3;
        private int deadLetterPartitions = 3;
        private int smallTopicPartitions = 3;
        private short replicationFactor = 1;
        private int maxRecordBytes = 1024 * 1024;
        private Duration taskRetention = Duration.ofDays(30);
        private Duration eventRetention = Duration.ofDays(30);
        private List<DelayTier> delayTiers = DEFAULT_DELAY_TIERS;
        private boolean capabilitiesSet;

        private Builder() {
        }

        public Builder prefix(String prefix) {
            this.names = TopicNames.withPrefix(prefix);
            return this;
        }

        /** The pools, each with {@link #taskPartitions(int)} partitions. Replaces earlier ones. */
        public Builder capabilities(String... capabilities) {
            this.capabilities.clear();
            this.capabilitiesSet = true;
            for (String c : capabilities) {
                capability(c, 0);
            }
            return this;
        }

        /** Adds one pool with its own partition count (0 = the default task partition count). */
        public Builder capability(String capability, int partitions) {
            TopicNames.defaults().tasks(capability);
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions of capability " + capability + " must be >= 0, got " + partitions);
            }
            this.capabilitiesSet = true;
            this.capabilities.put(capability, partitions);
            return this;
        }

        public Builder taskPartitions(int partitions) {
            this.defaultTaskPartitions = positive("taskPartitions", partitions);
            return this;
        }

        public Builder eventPartitions(int partitions) {
            this.eventPartitions = positive("eventPartitions", partitions);
            return this;
        }

        public Builder delayPartitions(int partitions) {
            this.delayPartitions = positive("delayPartitions", partitions);
            return this;
        }

        public Builder deadLetterPartitions(int partitions) {
            this.deadLetterPartitions = positive("deadLetterPartitions", partitions);
            return this;
        }

        /** Partitions of task-cancellations, task-schedules and workers. */
        public Builder smallTopicPartitions(int partitions) {
            this.smallTopicPartitions = positive("smallTopicPartitions", partitions);
            return this;
        }

        public Builder replicationFactor(short replicationFactor) {
            if (replicationFactor < 1) {
                throw new IllegalArgumentException("replicationFactor must be >= 1, got " + replicationFactor);
            }
            this.replicationFactor = replicationFactor;
            return this;
        }

        public Builder maxRecordBytes(int bytes) {
            if (bytes < 2 * RECORD_OVERHEAD_BYTES) {
                throw new IllegalArgumentException(
                        "maxRecordBytes must be >= " + 2 * RECORD_OVERHEAD_BYTES + ", got " + bytes);
            }
            this.maxRecordBytes = bytes;
            return this;
        }

        /** Retention of task, delay and dead-letter topics; negative means forever. */
        public Builder taskRetention(Duration retention) {
            this.taskRetention = Objects.requireNonNull(retention, "taskRetention");
            return this;
        }

        /** Retention of task-events and task-commands; negative means forever. */
        public Builder eventRetention(Duration retention) {
            this.eventRetention = Objects.requireNonNull(retention, "eventRetention");
            return this;
        }

        public Builder delayTiers(List<DelayTier> tiers) {
            if (tiers == null || tiers.isEmpty()) {
                throw new IllegalArgumentException("at least one delay tier is required, got " + tiers);
            }
            this.delayTiers = List.copyOf(tiers);
            return this;
        }

        public Builder delayTiers(String... tiers) {
            List<DelayTier> parsed = new ArrayList<>();
            for (String t : tiers) {
                parsed.add(DelayTier.parse(t));
            }
            return delayTiers(parsed);
        }

        public TopicPlan build() {
            if (!capabilitiesSet) {
                capabilities("default", "gpu", "high-memory");
            }
            if (capabilities.isEmpty()) {
                throw new IllegalArgumentException("a topic plan needs at least one capability");
            }
            capabilities.replaceAll((c, p) -> p == 0 ? defaultTaskPartitions : p);
            return new TopicPlan(this);
        }

        private static int positive(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + value);
            }
            return value;
        }
    }
}
