package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.ChildOutcome;
import io.fibflow.api.ChildTask;
import io.fibflow.api.TaskOutcome;
import io.fibflow.api.client.TaskClient;
import io.fibflow.api.client.TaskSpec;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.serde.AvroDeserializer;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import io.fibflow.topology.FibflowStreams;
import io.fibflow.topology.RegistrySerdeFactory;
import io.fibflow.topology.TopologySettings;
import io.fibflow.worker.Worker;
import io.fibflow.worker.WorkerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Worker runtime and topology together on the embedded broker: parents resume with their children's results. */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WorkflowIT {

    private static final Logger log = LoggerFactory.getLogger(WorkflowIT.class);

    @TempDir
    static Path stateDir;

    private static TopicPlan plan;
    private static RestSchemaRegistryClient registry;
    private static FibflowStreams topology;
    private static Worker worker;
    private static TaskClient client;
    private static Events events;

    @BeforeAll
    static void start(KafkaEndpoints kafka) throws Exception {
        plan = TopicPlan.builder().prefix("wf-" + UUID.randomUUID().toString().substring(0, 8) + ".")
                .capabilities("default").taskPartitions(4).eventPartitions(3).delayTiers("100ms", "1s").build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
        }
        registry = new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(kafka.schemaRegistryUrl()).build());
        topology = FibflowStreams.create(TopologySettings.builder().plan(plan).bootstrapServers(kafka.bootstrapServers())
                .applicationId(plan.names().prefix() + "fibflow-topology").stateDir(stateDir)
                .override("commit.interval.ms", 50).build(), new RegistrySerdeFactory(registry));
        topology.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (topology.kafkaStreams().state() != KafkaStreams.State.RUNNING) {
            assertTrue(System.nanoTime() < deadline, "topology not RUNNING: " + topology.kafkaStreams().state());
            Thread.sleep(50); // polling the Streams state with a deadline
        }
        Map<String, Object> props = new HashMap<>();
        props.put(WorkerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(WorkerConfig.SCHEMA_REGISTRY_URL, kafka.schemaRegistryUrl());
        props.put(WorkerConfig.TOPIC_PREFIX, plan.names().prefix());
        props.put(WorkerConfig.DELAY_TIERS, "100ms,1s");
        props.put(WorkerConfig.MAX_BUFFERED_RECORDS, 5000);
        worker = new Worker(props);
        worker.use("fanout", ctx -> {
            if (ctx.stage() == 0) {
                int n = ctx.payload(Map.class).get("n") instanceof Number num ? num.intValue() : 0;
                List<ChildTask> children = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    children.add(ChildTask.of("leaf", Map.of("i", i)));
                }
                return TaskOutcome.next(children);
            }
            long sum = 0;
            for (ChildOutcome c : ctx.childResults()) {
                sum += ((Number) c.result(Map.class).get("i")).longValue();
            }
            return TaskOutcome.result(Map.of("children", ctx.childResults().size(), "sum", sum));
        });
        worker.use("leaf", ctx -> TaskOutcome.result(Map.of("i", ctx.payload(Map.class).get("i"))));
        worker.use("stages", ctx -> switch (ctx.stage()) {
            case 0 -> TaskOutcome.next(List.of(ChildTask.of("leaf", Map.of("i", 1)), ChildTask.of("leaf", Map.of("i", 2))),
                    "s0".getBytes(StandardCharsets.UTF_8));
            case 1 -> TaskOutcome.next(List.of(ChildTask.of("leaf", Map.of("i", 10))),
                    (new String(ctx.context().orElseThrow(), StandardCharsets.UTF_8) + "+s1").getBytes(StandardCharsets.UTF_8));
            default -> TaskOutcome.result(Map.of("stage", ctx.stage(), "context",
                    new String(ctx.context().orElseThrow(), StandardCharsets.UTF_8),
                    "last", ctx.childResults().get(0).result(Map.class).get("i")));
        });
        worker.start();
        client = TaskClient.builder().bootstrapServers(kafka.bootstrapServers()).registryClient(registry).topicPlan(plan).build();
        events = new Events(kafka, plan.names().events(), registry);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (topology != null) {
            topology.close();
        }
        if (events != null) {
            events.close();
        }
        registry.close();
    }

    @Test
    void shouldResumeAParentOnceWithAThousandResults() throws Exception {
        String parent = client.submit(TaskSpec.of("fanout", Map.of("n", 1000)));
        TaskEvent done = events.await(parent, TaskEventType.SUCCEEDED, Duration.ofSeconds(180));
        assertEquals("{\"children\":1000,\"sum\":499500}", StandardCharsets.UTF_8.decode(done.getResultPayload().getData())
                .toString().replace("{\"sum\":499500,\"children\":1000}", "{\"children\":1000,\"sum\":499500}"));
        assertEquals(1, done.getStage());
        List<TaskEvent> resumed = events.of(parent, TaskEventType.RESUMED);
        assertEquals(1, resumed.size(), "resumed exactly once");
        // Measured where a reader of task-events sees them: the last child's SUCCEEDED committed, then RESUMED.
        long lastChild = events.all.stream().filter(e -> parent.equals(e.getParentId()) && e.getType() == TaskEventType.SUCCEEDED)
                .mapToLong(e -> events.seenAtNanos.get(e.getEventId())).max().orElseThrow();
        long firstSeen = events.all.stream().filter(e -> e.getTaskId().equals(parent) && e.getType() == TaskEventType.SUSPENDED)
                .mapToLong(e -> events.seenAtNanos.get(e.getEventId())).min().orElseThrow();
        log.info("1,000 children: the parent's RESUMED was seen {} ms after the last child's SUCCEEDED was seen; "
                + "the whole flow from SUSPENDED to the parent's SUCCEEDED took {} ms",
                TimeUnit.NANOSECONDS.toMillis(events.seenAtNanos.get(resumed.get(0).getEventId()) - lastChild),
                TimeUnit.NANOSECONDS.toMillis(events.seenAtNanos.get(done.getEventId()) - firstSeen));
    }

    @Test
    void shouldRunAMultiStageParentToItsResult() throws Exception {
        String parent = client.submit(TaskSpec.of("stages", Map.of()));
        TaskEvent done = events.await(parent, TaskEventType.SUCCEEDED, Duration.ofSeconds(60));
        assertEquals(2, done.getStage());
        String result = StandardCharsets.UTF_8.decode(done.getResultPayload().getData()).toString();
        assertTrue(result.contains("\"context\":\"s0+s1\"") && result.contains("\"last\":10"), result);
        assertEquals(2, events.of(parent, TaskEventType.RESUMED).size());
    }

    /** Follows task-events with read_committed. */
    static final class Events implements AutoCloseable {
        final List<TaskEvent> all = new CopyOnWriteArrayList<>();
        final Map<String, Long> seenAtNanos = new java.util.concurrent.ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        Events(KafkaEndpoints kafka, String topic, RestSchemaRegistryClient registry) {
            AvroDeserializer<TaskEvent> d = new AvroDeserializer<>(TaskEvent.class, registry);
            KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "wf-events-" + UUID.randomUUID(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
            c.subscribe(List.of(topic));
            thread = new Thread(() -> {
                try (c) {
                    while (running) {
                        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(5))) {
                            TaskEvent e = d.deserialize(topic, r.value());
                            seenAtNanos.put(e.getEventId(), System.nanoTime());
                            all.add(e);
                        }
                    }
                }
            }, "wf-events");
            thread.setDaemon(true);
            thread.start();
        }

        List<TaskEvent> of(String id, TaskEventType type) {
            return all.stream().filter(e -> e.getTaskId().equals(id) && e.getType() == type).toList();
        }

        TaskEvent await(String id, TaskEventType type, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (of(id, type).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no " + type + " for " + id + "; its events: "
                            + all.stream().filter(e -> e.getTaskId().equals(id)).map(e -> e.getType() + "@" + e.getStage()).toList());
                }
                Thread.sleep(20); // polling with a deadline
            }
            return of(id, type).get(0);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }
}
