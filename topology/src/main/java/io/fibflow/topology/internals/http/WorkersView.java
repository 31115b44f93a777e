package io.fibflow.topology.internals.http;

import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.serde.AvroDeserializer;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.avro.WorkerStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Live workers from the compacted {@code workers} topic (a tombstone removes one; a worker whose
 * heartbeats stopped is shown as gone), and each pool's lag from its consumer group's offsets.
 */
public final class WorkersView implements AutoCloseable {

    private final Map<String, WorkerStatus> workers = new ConcurrentHashMap<>();
    private final TopicPlan plan;
    private final Admin admin;
    private final Duration goneAfter;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    public WorkersView(Map<String, Object> kafka, SchemaRegistryClient registry, TopicPlan plan, Duration goneAfter, Clock clock) {
        this.plan = plan;
        this.goneAfter = goneAfter;
        this.clock = clock;
        this.admin = Admin.create(kafka);
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        String topic = plan.names().workers();
        AvroDeserializer<WorkerStatus> statuses = new AvroDeserializer<>(WorkerStatus.class, registry);
        thread = new Thread(() -> {
            try (consumer) {
                List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                while (running) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (r.value() == null) {
                            workers.remove(r.key());
                        } else {
                            workers.put(r.key(), statuses.deserialize(topic, r.value()));
                        }
                    });
                }
            } catch (RuntimeException e) {
                if (running) {
                    org.slf4j.LoggerFactory.getLogger(WorkersView.class).warn("following {} stopped: {}", topic, e.toString());
                }
            }
        }, "fibflow-workers-view");
        thread.setDaemon(true);
        thread.start();
    }

    Map<String, Object> snapshot() {
        Instant now = clock.instant();
        List<Map<String, Object>> list = new ArrayList<>();
        for (WorkerStatus w : workers.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workerId", w.getWorkerId());
            m.put("state", w.getHeartbeatAt().plus(goneAfter).isBefore(now) ? "gone" : "alive");
            m.put("capabilities", w.getCapabilities());
            m.put("handlers", w.getHandlers());
            m.put("inFlight", w.getInFlight());
            m.put("maxConcurrency", w.getMaxConcurrency());
            m.put("stuckSlots", w.getStuckSlots());
            m.put("host", w.getHost());
            m.put("version", w.getVersion());
            m.put("startedAt", w.getStartedAt().toString());
            m.put("heartbeatAt", w.getHeartbeatAt().toString());
            list.add(m);
        }
        list.sort((a, b) -> a.get("workerId").toString().compareTo(b.get("workerId").toString()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workers", list);
        out.put("lag", lag());
        return out;
    }

    /**
     * Per capability: records in tasks.<capability> not yet committed by its consumer group. The
     * partitions are the topic's own (it may have been created with another count than this
     * instance's plan); a partition the group never committed counts from its log start.
     */
    private Map<String, Object> lag() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String capability : plan.capabilities().keySet()) {
            String topic = plan.names().tasks(capability);
            String group = plan.names().prefix() + "fibflow." + capability;
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
                Map<TopicPartition, Long> starts = offsets(partitions.stream()
                        .filter(tp -> committed.get(tp) == null).toList(), OffsetSpec.earliest());
                long lag = 0;
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata c = committed.get(tp);
                    lag += Math.max(0, ends.get(tp) - (c == null ? starts.get(tp) : c.offset()));
                }
                out.put(capability, lag);
            } catch (Exception e) {
                out.put(capability, "unknown: " + e.getMessage());
            }
        }
        return out;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        if (!request.isEmpty()) {
            admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
        admin.close(Duration.ofSeconds(5));
    }
}
