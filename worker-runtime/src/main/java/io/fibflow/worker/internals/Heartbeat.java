package io.fibflow.worker.internals;

import io.fibflow.avro.WorkerStatus;
import io.fibflow.worker.WorkerConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's liveness record (DESIGN §5): a {@link WorkerStatus} on the compacted
 * {@code workers} topic every few seconds, keyed by worker id; a tombstone on graceful stop. A
 * killed worker leaves its last record, which readers show as gone once it is old.
 */
final class Heartbeat {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final WorkerConfig config;
    private final HandlerRegistry handlers;
    private final RecordCodec codec;
    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;
    private final IntSupplier inFlight;
    private final IntSupplier stuck;
    private final Instant startedAt;
    private final String topic;
    private final String host;

    Heartbeat(WorkerConfig config, HandlerRegistry handlers, RecordCodec codec, KafkaProducer<String, byte[]> producer,
            Clock clock, IntSupplier inFlight, IntSupplier stuck) {
        this.config = config;
        this.handlers = handlers;
        this.codec = codec;
        this.producer = producer;
        this.clock = clock;
        this.inFlight = inFlight;
        this.stuck = stuck;
        this.startedAt = clock.instant();
        this.topic = config.topicNames().workers();
        this.host = hostName();
    }

    void start(java.util.concurrent.ScheduledExecutorService timer) {
        long every = config.getLong(WorkerConfig.STATUS_INTERVAL_MS);
        timer.scheduleAtFixedRate(this::beat, 0, every, TimeUnit.MILLISECONDS);
    }

    WorkerStatus status() {
        return WorkerStatus.newBuilder()
                .setWorkerId(config.workerId())
                .setCapabilities(config.capabilities())
                .setHandlers(handlers.names())
                .setInFlight(inFlight.getAsInt())
                .setMaxConcurrency(config.getInt(WorkerConfig.MAX_CONCURRENCY))
                .setStuckSlots(stuck.getAsInt())
                .setHost(host)
                .setVersion(version())
                .setStartedAt(startedAt)
                .setHeartbeatAt(clock.instant())
                .setMetadata(Map.of("groupProtocol", config.getString(WorkerConfig.GROUP_PROTOCOL)))
                .build();
    }

    private void beat() {
        try {
            producer.send(new ProducerRecord<>(topic, config.workerId(), codec.status(topic, status())));
        } catch (RuntimeException e) {
            log.warn("heartbeat of {} not sent: {}", config.workerId(), e.toString());
        }
    }

    /** Graceful stop: a tombstone, so the worker disappears from the compacted topic. */
    void tombstone() {
        try {
            producer.send(new ProducerRecord<>(topic, config.workerId(), null)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("tombstone of {} not sent: {}", config.workerId(), e.toString());
        } finally {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (KafkaException ignored) {
                // closing
            }
        }
    }

    private static String version() {
        String v = Heartbeat.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
