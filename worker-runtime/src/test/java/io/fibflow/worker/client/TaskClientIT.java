package io.fibflow.worker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.RetryBackoff;
import io.fibflow.api.TaskFailure;
import io.fibflow.api.TaskOutcome;
import io.fibflow.api.client.SubmitRejectedException;
import io.fibflow.api.client.TaskClient;
import io.fibflow.api.client.TaskSpec;
import io.fibflow.api.serde.AvroDeserializer;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskCommand;
import io.fibflow.avro.TaskCommandType;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.worker.Worker;
import io.fibflow.worker.WorkerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** TaskClient against the embedded broker: transactional submits, checks before sending, commands. */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskClientIT {

    private static KafkaEndpoints kafka;
    private static TopicPlan plan;
    private static TaskClient client;
    private static RestSchemaRegistryClient registry;

    @BeforeAll
    static void setUp(KafkaEndpoints endpoints) throws Exception {
        kafka = endpoints;
        plan = TopicPlan.builder().prefix("client-it-" + UUID.randomUUID().toString().substring(0, 8) + ".")
                .capabilities("default", "gpu").taskPartitions(2).eventPartitions(2).maxRecordBytes(64 * 1024)
                .delayTiers("100ms", "1s").build();
        try (Admin admin = admin()) {
            new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
        }
        registry = new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(kafka.schemaRegistryUrl()).build());
        client = TaskClient.builder().bootstrapServers(kafka.bootstrapServers()).registryClient(registry)
                .topicPlan(plan).clientId("client-it").build();
    }

    @AfterAll
    static void tearDown() throws Exception {
        client.close();
        registry.close();
    }

    @Test
    void shouldWriteTheTaskAndItsCreatedEventInOneTransaction() {
        String id = client.submit(TaskSpec.builder("echo").payload(Map.of("a", 1)).tag("t1").timeout(Duration.ofSeconds(9))
                .maxAttempts(4).backoff(RetryBackoff.fixed(Duration.ofMillis(50))).build());
        Task task = read(plan.names().tasks("default"), Task.class, id);
        TaskEvent created = read(plan.names().events(), TaskEvent.class, id);
        assertEquals("echo", task.getName());
        assertEquals("t1", task.getTag());
        assertEquals(9000L, task.getTimeoutMs());
        assertEquals(4, task.getMaxAttempts());
        assertEquals(50L, task.getRetryPolicy().getInitialIntervalMs());
        assertEquals(TaskEventType.CREATED, created.getType());
        assertEquals(task, created.getTask(), "CREATED carries the full task");
    }

    @Test
    void shouldSubmitManyAcrossPoolsInOneTransaction() {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            specs.add(TaskSpec.builder("echo").capability(i % 2 == 0 ? "default" : "gpu").payload(Map.of("i", i)).build());
        }
        List<String> ids = client.submitAll(specs);
        assertEquals(100, new HashSet<>(ids).size());
        assertNotNull(read(plan.names().tasks("gpu"), Task.class, ids.get(99)));
        assertNotNull(read(plan.names().tasks("default"), Task.class, ids.get(0)));
    }

    @Test
    void shouldGiveTheSameIdToTheSameIdempotencyKey() {
        String a = client.submit(TaskSpec.builder("echo").idempotencyKey("order-42").build());
        String b = client.submit(TaskSpec.builder("echo").idempotencyKey("order-42").build());
        assertEquals(a, b);
    }

    @Test
    void shouldRejectUnknownCapabilitiesAndOversizedPayloadsBeforeSendingAnything() throws Exception {
        long before = endOffsets(plan.names().events());
        SubmitRejectedException unknown = assertThrows(SubmitRejectedException.class, () -> client.submitAll(List.of(
                TaskSpec.of("echo", Map.of()), TaskSpec.builder("echo").capability("tpu").build())));
        assertEquals(TaskFailure.UNKNOWN_CAPABILITY, unknown.reason());
        assertTrue(unknown.getMessage().contains("'tpu'"), unknown.getMessage());
        SubmitRejectedException large = assertThrows(SubmitRejectedException.class,
                () -> client.submit("echo", new byte[70 * 1024]));
        assertEquals(TaskFailure.PAYLOAD_TOO_LARGE, large.reason());
        assertTrue(large.getMessage().contains("over the limit"), large.getMessage());
        assertEquals(before, endOffsets(plan.names().events()), "nothing was written");
    }

    @Test
    void shouldWriteCommandsForTheTopology() {
        String commandId = client.cancel("some-task");
        TaskCommand command = read(plan.names().commands(), TaskCommand.class, "some-task");
        assertEquals(TaskCommandType.CANCEL, command.getType());
        assertEquals(commandId, command.getCommandId());
    }

    @Test
    void shouldRunSubmittedAndDelayedTasksOnAWorker() throws Exception {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(WorkerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(WorkerConfig.SCHEMA_REGISTRY_URL, kafka.schemaRegistryUrl());
        props.put(WorkerConfig.TOPIC_PREFIX, plan.names().prefix());
        props.put(WorkerConfig.DELAY_TIERS, "100ms,1s");
        props.put(WorkerConfig.MAX_RECORD_BYTES, 64 * 1024);
        try (Worker worker = new Worker(props)) {
            worker.use("later", ctx -> TaskOutcome.result(Map.of("ok", true))).start();
            long submitted = System.currentTimeMillis();
            String id = client.submit(TaskSpec.builder("later").delay(Duration.ofMillis(1500)).build());
            TaskEvent done = awaitEvent(id, TaskEventType.SUCCEEDED);
            TaskEvent started = awaitEvent(id, TaskEventType.STARTED);
            assertTrue(started.getTime().toEpochMilli() - submitted >= 1500,
                    "started " + (started.getTime().toEpochMilli() - submitted) + " ms after submit");
            assertNotNull(done.getResultPayload());
        }
    }

    private static TaskEvent awaitEvent(String id, TaskEventType type) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (TaskEvent e : readAll(plan.names().events(), TaskEvent.class)) {
                if (e.getTaskId().equals(id) && e.getType() == type) {
                    return e;
                }
            }
        }
        throw new AssertionError("no " + type + " for " + id);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T read(String topic, Class<T> type, String key) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (KafkaConsumer<String, byte[]> c = consumer()) {
                c.subscribe(List.of(topic));
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < until) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        if (key.equals(r.key())) {
                            return new AvroDeserializer<>(type, registry).deserialize(topic, r.value());
                        }
                    }
                }
            }
        }
        throw new AssertionError("no record keyed " + key + " on " + topic);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(String topic, Class<T> type) {
        List<T> out = new ArrayList<>();
        AvroDeserializer<T> d = new AvroDeserializer<>(type, registry);
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            c.subscribe(List.of(topic));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < until) {
                c.poll(Duration.ofMillis(100)).forEach(r -> out.add(d.deserialize(topic, r.value())));
            }
        }
        return out;
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "read-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static long endOffsets(String topic) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (int p = 0; p < plan.eventPartitions(); p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(i -> i.offset()).sum();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
