package io.fibflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.ChildTask;
import io.fibflow.api.RecordHeaders;
import io.fibflow.api.TaskFailure;
import io.fibflow.api.TaskIds;
import io.fibflow.api.TaskOutcome;
import io.fibflow.api.serde.AvroDeserializer;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a handler's outcome publishes: children with their parent's SUSPENDED, retries, dead letters. */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OutcomesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldPublishChildrenWithTheParentsSuspension(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default", "gpu")) {
            pool.worker(pool.workerProps("default,gpu"))
                    .use("parent", ctx -> TaskOutcome.next(List.of(
                            ChildTask.of("child", Map.of("n", 0)),
                            ChildTask.of("child", Map.of("n", 1)),
                            ChildTask.of("child", Map.of("n", 2)).withCapability("gpu")), "ctx".getBytes()))
                    .use("child", ctx -> TaskOutcome.result(Map.of("n", ctx.payload(Map.class).get("n"),
                            "parentStage", ctx.parentId().isPresent())))
                    .start();
            Task parent = Pool.task("parent", "default", "{}");
            pool.publish(List.of(parent));
            List<String> childIds = List.of(TaskIds.childId(parent.getId(), 0, 0), TaskIds.childId(parent.getId(), 0, 1),
                    TaskIds.childId(parent.getId(), 0, 2));
            Pool.await("3 children succeeded", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> childIds.contains(e.getTaskId())) == 3);
            TaskEvent suspended = pool.events().forTask(parent.getId()).stream()
                    .filter(e -> e.getType() == TaskEventType.SUSPENDED).findFirst().orElseThrow();
            assertEquals(childIds, suspended.getChildIds());
            assertEquals("ctx", StandardCharsets.UTF_8.decode(suspended.getTask().getContext()).toString());
            for (String id : childIds) {
                TaskEvent created = pool.events().forTask(id).stream()
                        .filter(e -> e.getType() == TaskEventType.CREATED).findFirst().orElseThrow();
                assertEquals(parent.getId(), created.getParentId());
                assertEquals(parent.getId(), created.getRootId());
                assertEquals(0, created.getParentStage());
                assertEquals(0L, created.getParentEpoch());
            }
            TaskEvent gpuChild = pool.events().forTask(childIds.get(2)).stream()
                    .filter(e -> e.getType() == TaskEventType.CREATED).findFirst().orElseThrow();
            assertEquals("gpu", gpuChild.getCapability());
        }
    }

    @Test
    void shouldLeaveNeitherChildrenNorSuspensionWhenTheTransactionAborts(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Map<String, Object> props = pool.workerProps("default");
            String workerId = "fence-me-" + UUID.randomUUID().toString().substring(0, 6);
            props.put(WorkerConfig.WORKER_ID, workerId);
            props.put(WorkerConfig.COMMIT_INTERVAL_MS, 5_000L); // keeps the transaction open long enough to fence it
            CountDownLatch blockerRelease = new CountDownLatch(1);
            AtomicInteger parentRuns = new AtomicInteger();
            pool.worker(props)
                    .use("blocker", ctx -> {
                        blockerRelease.await(120, TimeUnit.SECONDS);
                        return TaskOutcome.done();
                    })
                    .use("parent", ctx -> {
                        parentRuns.incrementAndGet();
                        return TaskOutcome.next(List.of(ChildTask.of("child", 0), ChildTask.of("child", 1)));
                    })
                    .use("child", ctx -> TaskOutcome.done())
                    .start();
            pool.publish(List.of(Pool.task("blocker", "default", "{}")), 0);
            Pool.await("the blocker started", WAIT, () -> pool.events().count(TaskEventType.STARTED, e -> true) >= 1);
            Task parent = Pool.task("parent", "default", "{}");
            pool.publish(List.of(parent), 1);
            String events = pool.plan.names().events();
            Pool.await("the SUSPENDED written, uncommitted", WAIT, () -> !uncommitted(kafka, pool, events, parent.getId()).isEmpty());

            // Fence the worker's producer while its transaction holds the children and SUSPENDED.
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TransactionListing open = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> t.transactionalId().startsWith("fibflow-worker-" + workerId + "-default"))
                        .filter(t -> t.state() == TransactionState.ONGOING)
                        .findFirst().orElseThrow();
                try (KafkaProducer<String, byte[]> fencer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, open.transactionalId()),
                        new StringSerializer(), new ByteArraySerializer())) {
                    fencer.initTransactions();
                }
            }
            blockerRelease.countDown();
            List<String> childIds = List.of(TaskIds.childId(parent.getId(), 0, 0), TaskIds.childId(parent.getId(), 0, 1));
            Pool.await("the parent's suspension committed", WAIT, () -> pool.events().count(TaskEventType.SUSPENDED,
                    e -> e.getTaskId().equals(parent.getId())) >= 1);
            // Give the committed view every record written so far: read the topics to their end.
            List<ConsumerRecord<String, byte[]>> tasks = pool.readToEnd(pool.plan.names().tasks("default"), WAIT);
            List<String> committedChildren = tasks.stream().map(ConsumerRecord::key).filter(childIds::contains).toList();
            assertEquals(2, parentRuns.get(), "the parent ran again after the abort");
            assertEquals(2, committedChildren.size(), "each child committed exactly once: " + committedChildren);
            assertEquals(1, pool.events().count(TaskEventType.SUSPENDED, e -> e.getTaskId().equals(parent.getId())));
            assertEquals(2, uncommitted(kafka, pool, events, parent.getId()).stream()
                    .filter(e -> e.getType() == TaskEventType.SUSPENDED).count(),
                    "the aborted SUSPENDED is in the log but invisible to read_committed readers");
        }
    }

    @Test
    void shouldRetryAFailingTaskUntilItSucceeds(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
            pool.worker(pool.workerProps("default")).use("flaky", ctx -> {
                if (attempts.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger()).incrementAndGet() < 3) {
                    throw new IllegalStateException("boom " + ctx.attempt());
                }
                return TaskOutcome.result(Map.of("attempt", ctx.attempt(), "epoch", ctx.epoch()));
            }).start();
            String id = pool.publish(List.of(Pool.task("flaky", "default", "{}"))).get(0);
            Pool.await("success", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED, e -> e.getTaskId().equals(id)) == 1);
            List<TaskEvent> history = pool.events().forTask(id);
            assertEquals(List.of(TaskEventType.CREATED, TaskEventType.STARTED, TaskEventType.FAILED,
                    TaskEventType.RETRY_SCHEDULED, TaskEventType.STARTED, TaskEventType.FAILED,
                    TaskEventType.RETRY_SCHEDULED, TaskEventType.STARTED, TaskEventType.SUCCEEDED),
                    history.stream().map(TaskEvent::getType).toList());
            TaskEvent done = history.get(history.size() - 1);
            assertEquals(3, done.getAttempt());
            assertEquals(2L, done.getEpoch());
            assertEquals("java.lang.IllegalStateException", history.get(2).getError().getType());
        }
    }

    @Test
    void shouldDeadLetterATaskThatExhaustsItsAttemptsOrFailsNonRetryably(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Map<String, Object> props = pool.workerProps("default");
            props.put(WorkerConfig.DEFAULT_MAX_ATTEMPTS, 2);
            pool.worker(props)
                    .use("always_fails", ctx -> {
                        throw new IllegalArgumentException("bad input " + ctx.attempt());
                    })
                    .use("fatal", ctx -> {
                        throw TaskFailure.nonRetryable("GPU_MISSING", "no GPU here");
                    }).start();
            String failing = pool.publish(List.of(Pool.task("always_fails", "default", "{}"))).get(0);
            String fatal = pool.publish(List.of(Pool.task("fatal", "default", "{}"))).get(0);
            Pool.await("both dead-lettered", WAIT, () -> pool.events().of(TaskEventType.DEAD_LETTERED).size() == 2);
            TaskEvent failed = pool.events().forTask(failing).stream()
                    .filter(e -> e.getType() == TaskEventType.PERMANENTLY_FAILED).findFirst().orElseThrow();
            assertEquals(2, failed.getAttempt());
            assertEquals("bad input 2", failed.getError().getMessage());
            TaskEvent fatalFailed = pool.events().forTask(fatal).stream()
                    .filter(e -> e.getType() == TaskEventType.PERMANENTLY_FAILED).findFirst().orElseThrow();
            assertEquals(1, fatalFailed.getAttempt(), "non-retryable: no second attempt");
            assertEquals("GPU_MISSING", fatalFailed.getError().getType());

            List<ConsumerRecord<String, byte[]>> dead = pool.readAll(pool.plan.names().deadLetter(), 2, WAIT);
            assertEquals(2, dead.size());
            AvroDeserializer<Task> tasks = new AvroDeserializer<>(Task.class, pool.registry);
            for (ConsumerRecord<String, byte[]> r : dead) {
                Task original = tasks.deserialize(r.topic(), r.value());
                assertNotNull(original, "the dead letter holds the task's bytes");
                String reason = new String(r.headers().lastHeader(RecordHeaders.DLT_REASON).value(), StandardCharsets.UTF_8);
                assertTrue(reason.equals("GPU_MISSING") || reason.equals("java.lang.IllegalArgumentException"), reason);
            }
        }
    }

    private static List<TaskEvent> uncommitted(KafkaEndpoints kafka, Pool pool, String topic, String taskId) {
        AvroDeserializer<TaskEvent> d = new AvroDeserializer<>(TaskEvent.class, pool.registry);
        List<TaskEvent> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "uncommitted-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (taskId.equals(r.key())) {
                        out.add(d.deserialize(topic, r.value()));
                    }
                }
                if (out.stream().anyMatch(e -> e.getType() == TaskEventType.SUSPENDED)) {
                    break;
                }
            }
        }
        return out;
    }
}
