package io.fibflow.worker;

import static org.junit.jupiter.api.Assertions.fail;

import io.fibflow.api.TaskIds;
import io.fibflow.api.internals.records.TaskEvents;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.serde.AvroDeserializer;
import io.fibflow.api.serde.AvroSerializer;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.avro.Payload;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.WorkerStatus;
import io.fibflow.embedded.KafkaEndpoints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test scaffolding for worker ITs: a topic plan under a unique prefix on the shared broker, a
 * plain producer of Task records (as any foreign producer would write them), and a read_committed
 * reader of task-events.
 */
final class Pool implements AutoCloseable {

    /** Small tiers so that retry and delay tests run in seconds. */
    static final String[] TIERS = {"100ms", "250ms", "1s", "2s"};

    final KafkaEndpoints kafka;
    final String registryUrl;
    final TopicPlan plan;
    final SchemaRegistryClient registry;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<Task> taskSerializer;
    private final List<Worker> workers = new ArrayList<>();
    private EventReader events;
    private Follower<WorkerStatus> statuses;

    Pool(KafkaEndpoints kafka, String... capabilities) throws Exception {
        this(kafka, kafka.schemaRegistryUrl(), capabilities);
    }

    /** A pool whose workers and producer use the given registry instead of the shared one. */
    static Pool withRegistry(KafkaEndpoints kafka, String registryUrl, String... capabilities) throws Exception {
        return new Pool(kafka, registryUrl, capabilities);
    }

    private Pool(KafkaEndpoints kafka, String registryUrl, String[] capabilities) throws Exception {
        this.kafka = kafka;
        this.registryUrl = registryUrl;
        this.plan = TopicPlan.builder().prefix("w-" + UUID.randomUUID().toString().substring(0, 8) + ".")
                .capabilities(capabilities).taskPartitions(4).eventPartitions(3).delayTiers(TIERS).build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
        }
        this.registry = new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(registryUrl)
                .maxAttempts(2).build());
        this.taskSerializer = new AvroSerializer<>(registry);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    Map<String, Object> workerProps(String capabilities) {
        Map<String, Object> props = new HashMap<>();
        props.put(WorkerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(WorkerConfig.SCHEMA_REGISTRY_URL, registryUrl);
        props.put(WorkerConfig.TOPIC_PREFIX, plan.names().prefix());
        props.put(WorkerConfig.CAPABILITIES, capabilities);
        props.put(WorkerConfig.SESSION_TIMEOUT_MS, 6000);
        props.put(WorkerConfig.HEARTBEAT_INTERVAL_MS, 1000);
        props.put(WorkerConfig.DRAIN_TIMEOUT_MS, 10_000L);
        props.put(WorkerConfig.DELAY_TIERS, String.join(",", TIERS));
        return props;
    }

    Worker worker(Map<String, Object> props) {
        return worker(new Worker(props));
    }

    /** A worker built by the test (its own registry client, say) that the pool shuts down on close. */
    Worker worker(Worker w) {
        workers.add(w);
        return w;
    }

    static Task task(String name, String capability, String json) {
        return Task.newBuilder().setId(TaskIds.newTaskId()).setName(name).setCapability(capability)
                .setPayload(new Payload("json/plain", ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), Map.of()))
                .setCreatedAt(Instant.now()).build();
    }

    /** Publishes tasks to their capability topics as a plain producer (with CREATED events, as TaskClient does). */
    List<String> publish(List<Task> tasks) throws Exception {
        return publish(tasks, null);
    }

    /** As {@link #publish(List)}, all to one partition of their topic when {@code partition} is set. */
    List<String> publish(List<Task> tasks, Integer partition) throws Exception {
        List<String> ids = new ArrayList<>();
        AvroSerializer<TaskEvent> eventSerializer = new AvroSerializer<>(registry);
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (Task t : tasks) {
            String topic = plan.names().tasks(t.getCapability());
            acks.add(producer.send(new ProducerRecord<>(topic, partition, t.getId(), taskSerializer.serialize(topic, t))));
            acks.add(producer.send(new ProducerRecord<>(plan.names().events(), t.getId(),
                    eventSerializer.serialize(plan.names().events(), TaskEvents.created(t, "test", Instant.now())))));
            ids.add(t.getId());
        }
        for (var f : acks) {
            f.get(30, TimeUnit.SECONDS);
        }
        return ids;
    }

    /**
     * Publishes a task into the delay tier that fits {@code delay}, as a delayed submission does;
     * returns the broker's append time of the record (the submit time on the broker's clock).
     */
    long publishDelayed(Task t, Duration delay) throws Exception {
        String target = plan.names().tasks(t.getCapability());
        io.fibflow.api.topics.DelayTier tier = plan.delayTiers().stream()
                .filter(x -> x.duration().compareTo(delay) <= 0).reduce((a, b) -> b).orElse(plan.delayTiers().first());
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(plan.names().delay(tier), t.getId(),
                taskSerializer.serialize(target, t));
        r.headers().add(io.fibflow.api.RecordHeaders.DELAY_TARGET, target.getBytes(StandardCharsets.UTF_8));
        r.headers().add(io.fibflow.api.RecordHeaders.DELAY_MS, Long.toString(delay.toMillis()).getBytes(StandardCharsets.UTF_8));
        return producer.send(r).get(30, TimeUnit.SECONDS).timestamp();
    }

    /** Publishes raw bytes to a capability topic (poison pills). */
    void publishRaw(String capability, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(plan.names().tasks(capability), key, value)).get(30, TimeUnit.SECONDS);
    }

    /** Publishes raw bytes to one partition of the first capability's topic. */
    void publishRaw(int partition, String key, byte[] value) throws Exception {
        String topic = plan.names().tasks(plan.capabilities().keySet().iterator().next());
        producer.send(new ProducerRecord<>(topic, partition, key, value)).get(30, TimeUnit.SECONDS);
    }

    synchronized EventReader events() {
        if (events == null) {
            events = new EventReader(kafka, plan.names().events(), registry);
        }
        return events;
    }

    /** Follows the workers topic: every WorkerStatus heartbeat, in order (tombstones left out). */
    synchronized Follower<WorkerStatus> statuses() {
        if (statuses == null) {
            statuses = new Follower<>(kafka, plan.names().workers(), WorkerStatus.class, registry, "statuses-");
        }
        return statuses;
    }

    List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Every committed record of {@code topic}, read from the beginning to the end offsets taken
     * when reading starts (read_committed: the last stable offsets), however many there are.
     */
    List<ConsumerRecord<String, byte[]>> readToEnd(String topic, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    fail("timed out after " + timeout + " reading " + topic + " to its end offsets " + end);
                }
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    /** Waits until the pool's consumer group has {@code members} members, each with partitions. */
    void awaitMembers(String capability, int members) throws InterruptedException {
        awaitGroupMembers(plan.names().prefix() + "fibflow." + capability, members);
    }

    /** Waits until consumer group {@code group} has {@code members} members, each with partitions. */
    void awaitGroupMembers(String group, int members) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await(members + " members in " + group, Duration.ofSeconds(60), () -> {
                try {
                    var d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
                    return d.members().size() == members
                            && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20); // polling a condition, with a deadline
        }
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.shutdown();
        }
        for (Worker w : workers) {
            try {
                w.awaitTermination(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (events != null) {
            events.close();
        }
        if (statuses != null) {
            statuses.close();
        }
        producer.close();
        registry.close();
    }

    /** Follows one topic of Avro records (read_committed) on a background thread; tombstones are left out. */
    static class Follower<T extends SpecificRecord> implements AutoCloseable {
        final List<T> all = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        Follower(KafkaEndpoints kafka, String topic, Class<T> type, SchemaRegistryClient registry, String groupPrefix) {
            AvroDeserializer<T> deserializer = new AvroDeserializer<>(type, registry);
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + UUID.randomUUID(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
            thread = new Thread(() -> {
                try (consumer) {
                    while (running) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                            if (r.value() != null) {
                                all.add(deserializer.deserialize(topic, r.value()));
                            }
                        }
                    }
                }
            }, "reader-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Follows task-events (read_committed) on a background thread. */
    static final class EventReader extends Follower<TaskEvent> {

        EventReader(KafkaEndpoints kafka, String topic, SchemaRegistryClient registry) {
            super(kafka, topic, TaskEvent.class, registry, "events-");
        }

        List<TaskEvent> of(TaskEventType type) {
            return all.stream().filter(e -> e.getType() == type).toList();
        }

        long count(TaskEventType type, Predicate<TaskEvent> filter) {
            return all.stream().filter(e -> e.getType() == type).filter(filter).count();
        }

        List<TaskEvent> forTask(String id) {
            return all.stream().filter(e -> e.getTaskId().equals(id)).toList();
        }
    }
}
