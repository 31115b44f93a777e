package io.fibflow.worker;

import io.fibflow.api.RetryBackoff;
import io.fibflow.api.topics.DelayTier;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicNames;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings an operator gives a worker process, with documented keys, defaults and
 * validators; a missing or invalid key fails construction with a {@link ConfigException}
 * naming it. {@code docs/worker-config.md} is generated from {@link #CONFIG}.
 *
 * <p>Kafka client settings pass through: any key starting with {@code kafka.} goes to every
 * Kafka client with the prefix removed (e.g. {@code kafka.security.protocol=SSL}), and
 * {@code schema.registry.*} / {@code basic.auth.*} keys go to the registry client.
 */
public final class WorkerConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String WORKER_ID = "fibflow.worker.id";
    public static final String CAPABILITIES = "fibflow.worker.capabilities";
    public static final String MAX_CONCURRENCY = "fibflow.worker.max.concurrency";
    public static final String GROUP_PROTOCOL = "fibflow.worker.group.protocol";
    public static final String SESSION_TIMEOUT_MS = "fibflow.worker.session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "fibflow.worker.heartbeat.interval.ms";
    public static final String COMMIT_INTERVAL_MS = "fibflow.worker.commit.interval.ms";
    public static final String DRAIN_TIMEOUT_MS = "fibflow.worker.drain.timeout.ms";
    public static final String TRANSACTION_TIMEOUT_MS = "fibflow.worker.transaction.timeout.ms";
    public static final String MAX_BUFFERED_RECORDS = "fibflow.worker.max.buffered.records";
    public static final String REGISTRY_RETRY_BACKOFF_MS = "fibflow.worker.registry.retry.backoff.ms";
    public static final String DEFAULT_TIMEOUT_MS = "fibflow.task.default.timeout.ms";
    public static final String DEFAULT_MAX_ATTEMPTS = "fibflow.task.default.max.attempts";
    public static final String DEFAULT_BACKOFF_INITIAL_MS = "fibflow.task.default.backoff.initial.ms";
    public static final String DEFAULT_BACKOFF_MULTIPLIER = "fibflow.task.default.backoff.multiplier";
    public static final String DEFAULT_BACKOFF_MAX_MS = "fibflow.task.default.backoff.max.ms";
    public static final String DEFAULT_BACKOFF_JITTER = "fibflow.task.default.backoff.jitter";
    public static final String TOPIC_PREFIX = "fibflow.topic.prefix";
    public static final String MAX_RECORD_BYTES = "fibflow.max.record.bytes";
    public static final String DELAY_TIERS = "fibflow.delay.tiers";
    public static final String DELAY_FORWARDER_ENABLED = "fibflow.worker.delay.forwarder.enabled";
    public static final String STUCK_GRACE_MS = "fibflow.worker.stuck.grace.ms";
    public static final String STATUS_INTERVAL_MS = "fibflow.worker.status.interval.ms";

    /** Prefix of keys passed through to every Kafka client, with the prefix removed. */
    public static final String KAFKA_PREFIX = "kafka.";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString() {
                @Override
                public void ensureValid(String name, Object value) {
                    if (value == null || ((List<?>) value).isEmpty()) {
                        throw new ConfigException(name, value, "at least one host:port is required");
                    }
                }
            }, Importance.HIGH, "Kafka bootstrap servers, host:port[,host:port...].")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Schema Registry URL(s), comma-separated (Confluent REST API).")
            .define(WORKER_ID, Type.STRING, "", Importance.MEDIUM,
                    "This worker's id in events and heartbeats; empty means <host>-<random>.")
            .define(CAPABILITIES, Type.LIST, "default", new CapabilityList(), Importance.HIGH, "The pools this worker serves: one consumer group fibflow.<capability> "
                    + "on topic tasks.<capability> each.")
            .define(MAX_CONCURRENCY, Type.INT, 8, ConfigDef.Range.between(1, 10_000), Importance.HIGH,
                    "Handler threads: tasks running at once in this worker, over all capabilities.")
            .define(GROUP_PROTOCOL, Type.STRING, "classic", ValidString.in("classic", "consumer"), Importance.MEDIUM,
                    "Consumer group protocol. classic: failover after a crash is bounded by "
                            + SESSION_TIMEOUT_MS + " (broker floor group.min.session.timeout.ms). consumer (KIP-848): "
                            + "the broker's group.consumer.session.timeout.ms bounds it and the session settings here "
                            + "are not sent.")
            .define(SESSION_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Classic protocol only: how long the group waits for a silent worker before moving its partitions.")
            .define(HEARTBEAT_INTERVAL_MS, Type.INT, 3_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Classic protocol only: consumer heartbeat interval; a third of the session timeout or less.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, ConfigDef.Range.between(0, 60_000), Importance.MEDIUM,
                    "Outcomes and offsets are committed in one transaction at most this often while busy; "
                            + "an idle worker commits at once.")
            .define(TRANSACTION_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.between(1_000, 900_000), Importance.MEDIUM,
                    "Producer transaction.timeout.ms. When a worker crashes, its open transaction holds back "
                            + "read_committed readers and the offsets of its partitions until the broker aborts it "
                            + "after this long, so failover takes about max(session timeout, this).")
            .define(DRAIN_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Graceful shutdown waits this long for running tasks before leaving the group.")
            .define(MAX_BUFFERED_RECORDS, Type.INT, 1_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Fetched tasks waiting for a free handler thread; above this the partitions are paused.")
            .define(REGISTRY_RETRY_BACKOFF_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "When the Schema Registry is unreachable, the partition pauses this long before retrying.")
            .define(DEFAULT_TIMEOUT_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Per-attempt timeout when neither the task nor its handler sets one.")
            .define(DEFAULT_MAX_ATTEMPTS, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Attempts when neither the task nor its handler sets them.")
            .define(DEFAULT_BACKOFF_INITIAL_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Default backoff: delay before the second attempt.")
            .define(DEFAULT_BACKOFF_MULTIPLIER, Type.DOUBLE, 2.0, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Default backoff: factor per attempt.")
            .define(DEFAULT_BACKOFF_MAX_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Default backoff: longest delay.")
            .define(DEFAULT_BACKOFF_JITTER, Type.DOUBLE, 0.2, ConfigDef.Range.between(0.0, 0.99), Importance.LOW,
                    "Default backoff: randomisation factor in [0, 1).")
            .define(TOPIC_PREFIX, Type.STRING, "", Importance.LOW, "Prefix of every fibflow topic name.")
            .define(MAX_RECORD_BYTES, Type.INT, 1024 * 1024, ConfigDef.Range.atLeast(2 * TopicPlan.RECORD_OVERHEAD_BYTES),
                    Importance.LOW, "The record-size limit of the topic plan (topic max.message.bytes, producer "
                            + "max.request.size); a larger result fails its task with PAYLOAD_TOO_LARGE.")
            .define(DELAY_TIERS, Type.LIST, "1s,5s,30s,2m,10m,1h", new TierList(), Importance.LOW,
                    "The delay tiers of the topic plan (topics tasks.delay.<tier>); retries and delayed tasks wait "
                            + "in them.")
            .define(DELAY_FORWARDER_ENABLED, Type.BOOLEAN, true, Importance.LOW,
                    "Run the delay forwarder in this process (one shared group over all tiers across all workers).")
            .define(STATUS_INTERVAL_MS, Type.LONG, 3_000L, ConfigDef.Range.atLeast(100), Importance.LOW,
                    "How often the worker publishes its WorkerStatus heartbeat to the workers topic.")
            .define(STUCK_GRACE_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "After a timeout interrupts a handler, how long it may take to return before its thread is "
                            + "reported as a stuck slot.");

    private final String workerId;

    /** Validates delay tier names such as 1s, 30s, 2m. */
    private static final class TierList implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> list = (List<?>) value;
            if (list == null || list.isEmpty()) {
                throw new ConfigException(name, value, "at least one delay tier is required");
            }
            for (Object t : list) {
                try {
                    DelayTier.parse(String.valueOf(t));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "non-empty list of <number><ms|s|m|h|d>";
        }
    }

    /** Validates capability names as they become topic names. */
    private static final class CapabilityList implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> list = (List<?>) value;
            if (list == null || list.isEmpty()) {
                throw new ConfigException(name, value, "at least one capability is required");
            }
            for (Object c : list) {
                try {
                    TopicNames.defaults().tasks(String.valueOf(c));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "non-empty list of names of letters, digits, '_' or '-'";
        }
    }

    public WorkerConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        String id = getString(WORKER_ID);
        this.workerId = id.isBlank() ? defaultWorkerId() : id;
        if (getInt(HEARTBEAT_INTERVAL_MS) >= getInt(SESSION_TIMEOUT_MS)) {
            throw new ConfigException(HEARTBEAT_INTERVAL_MS, getInt(HEARTBEAT_INTERVAL_MS),
                    "must be below " + SESSION_TIMEOUT_MS + " (" + getInt(SESSION_TIMEOUT_MS) + ")");
        }
        if (getLong(DEFAULT_BACKOFF_MAX_MS) < getLong(DEFAULT_BACKOFF_INITIAL_MS)) {
            throw new ConfigException(DEFAULT_BACKOFF_MAX_MS, getLong(DEFAULT_BACKOFF_MAX_MS),
                    "must not be below " + DEFAULT_BACKOFF_INITIAL_MS + " (" + getLong(DEFAULT_BACKOFF_INITIAL_MS) + ")");
        }
    }

    public String workerId() {
        return workerId;
    }

    public List<String> capabilities() {
        return getList(CAPABILITIES);
    }

    public String bootstrapServers() {
        return String.join(",", getList(BOOTSTRAP_SERVERS));
    }

    public TopicNames topicNames() {
        return TopicNames.withPrefix(getString(TOPIC_PREFIX));
    }

    public int maxValueBytes() {
        return getInt(MAX_RECORD_BYTES) - TopicPlan.RECORD_OVERHEAD_BYTES;
    }

    public List<DelayTier> delayTiers() {
        return getList(DELAY_TIERS).stream().map(DelayTier::parse).toList();
    }

    public Duration defaultTimeout() {
        return Duration.ofMillis(getLong(DEFAULT_TIMEOUT_MS));
    }

    public RetryBackoff defaultBackoff() {
        return RetryBackoff.exponential(Duration.ofMillis(getLong(DEFAULT_BACKOFF_INITIAL_MS)),
                getDouble(DEFAULT_BACKOFF_MULTIPLIER), Duration.ofMillis(getLong(DEFAULT_BACKOFF_MAX_MS)),
                getDouble(DEFAULT_BACKOFF_JITTER));
    }

    /** Settings for every Kafka client: bootstrap servers plus the {@code kafka.*} pass-through keys. */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> props = new HashMap<>(originalsWithPrefix(KAFKA_PREFIX, true));
        props.put("bootstrap.servers", bootstrapServers());
        return props;
    }

    /** Settings for the Schema Registry client: the URL plus every {@code schema.registry.*}/{@code basic.auth.*} key. */
    public Map<String, Object> registryProperties() {
        Map<String, Object> props = new HashMap<>();
        originals().forEach((k, v) -> {
            if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.")) {
                props.put(k, v);
            }
        });
        return props;
    }

    /** The configuration reference as a Markdown table (docs/worker-config.md is this). */
    public static String toMarkdown() {
        StringBuilder out = new StringBuilder("# Worker configuration\n\n"
                + "Generated from `WorkerConfig.CONFIG`; `WorkerConfigTest` fails when this file is stale.\n\n"
                + "| key | type | default | valid values | importance | description |\n|---|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : CONFIG.configKeys().values()) {
            String def = key.hasDefault() ? String.valueOf(key.defaultValue) : "(required)";
            out.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase())
                    .append(" | ").append(def.isEmpty() ? "\"\"" : def).append(" | ")
                    .append(key.validator == null ? "" : key.validator.toString().replace("|", "\\|")).append(" | ")
                    .append(key.importance.name().toLowerCase()).append(" | ")
                    .append(key.documentation.replace("|", "\\|")).append(" |\n");
        }
        out.append("\nAny `kafka.<key>` is passed to every Kafka client as `<key>` (security settings, for example);"
                + " `schema.registry.*` and `basic.auth.*` keys go to the Schema Registry client.\n");
        return out.toString();
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
