package io.fibflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.HandlerOptions;
import io.fibflow.api.RecordHeaders;
import io.fibflow.api.TaskOutcome;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldShareAPoolsTasksAcrossTwoWorkers(KafkaEndpoints kafka) throws Exception {
        sharePoolAcrossTwoWorkers(kafka, "classic");
    }

    @Test
    void shouldShareAPoolsTasksAcrossTwoWorkersWithTheConsumerGroupProtocol(KafkaEndpoints kafka) throws Exception {
        sharePoolAcrossTwoWorkers(kafka, "consumer"); // KIP-848: the broker assigns partitions
    }

    private void sharePoolAcrossTwoWorkers(KafkaEndpoints kafka, String protocol) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Map<String, Set<String>> ranOn = new ConcurrentHashMap<>();
            for (String id : List.of("w1", "w2")) {
                Map<String, Object> props = pool.workerProps("default");
                props.put(WorkerConfig.WORKER_ID, id);
                props.put(WorkerConfig.GROUP_PROTOCOL, protocol);
                pool.worker(props).use("echo", ctx -> {
                    ranOn.computeIfAbsent(ctx.workerId(), k -> ConcurrentHashMap.newKeySet()).add(ctx.taskId());
                    return TaskOutcome.result(ctx.payload(Map.class));
                }).start();
            }
            pool.awaitMembers("default", 2);
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                tasks.add(Pool.task("echo", "default", "{\"i\":" + i + "}"));
            }
            List<String> ids = pool.publish(tasks);
            Pool.await("1000 SUCCEEDED events", WAIT,
                    () -> pool.events().of(TaskEventType.SUCCEEDED).size() >= 1000);
            Set<String> succeeded = pool.events().of(TaskEventType.SUCCEEDED).stream()
                    .map(TaskEvent::getTaskId).collect(Collectors.toSet());
            assertEquals(new HashSet<>(ids), succeeded);
            Set<String> workers = pool.events().of(TaskEventType.SUCCEEDED).stream()
                    .map(TaskEvent::getWorkerId).collect(Collectors.toSet());
            assertEquals(Set.of("w1", "w2"), workers, "both workers of the pool ran tasks");
            assertTrue(ranOn.get("w1").size() > 0 && ranOn.get("w2").size() > 0);
            // The result travels: the echo handler returned the payload.
            TaskEvent one = pool.events().of(TaskEventType.SUCCEEDED).get(0);
            assertTrue(StandardCharsets.UTF_8.decode(one.getResultPayload().getData()).toString().startsWith("{\"i\":"));
        }
    }

    @Test
    void shouldKeepGpuTasksWaitingUntilAGpuWorkerRuns(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default", "gpu")) {
            Set<String> capabilitiesSeen = ConcurrentHashMap.newKeySet();
            pool.worker(pool.workerProps("default")).use("train_model", ctx -> {
                capabilitiesSeen.add("default-worker");
                return TaskOutcome.done();
            }).use("echo", ctx -> TaskOutcome.done()).start();
            // Published before any gpu worker exists.
            String gpuTask = pool.publish(List.of(Pool.task("train_model", "gpu", "{}"))).get(0);
            String defaultTask = pool.publish(List.of(Pool.task("echo", "default", "{}"))).get(0);
            Pool.await("the default task", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(defaultTask)) == 1);
            assertEquals(0, pool.events().forTask(gpuTask).stream()
                    .filter(e -> e.getType() == TaskEventType.STARTED).count(), "no default worker touched it");
            assertTrue(capabilitiesSeen.isEmpty());

            Map<String, Object> gpuProps = pool.workerProps("gpu");
            gpuProps.put(WorkerConfig.WORKER_ID, "gpu-box");
            pool.worker(gpuProps).use("train_model", ctx -> TaskOutcome.result(Map.of("pool", ctx.capability()))).start();
            Pool.await("the gpu task", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(gpuTask)) == 1);
            TaskEvent done = pool.events().forTask(gpuTask).stream()
                    .filter(e -> e.getType() == TaskEventType.SUCCEEDED).findFirst().orElseThrow();
            assertEquals("gpu-box", done.getWorkerId());
            assertTrue(capabilitiesSeen.isEmpty(), "the default worker never ran the gpu task");
        }
    }

    @Test
    void shouldNotBlockFastTasksBehindASlowOneNorCommitPastIt(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            CountDownLatch release = new CountDownLatch(1);
            Map<String, Object> props = pool.workerProps("default");
            props.put(WorkerConfig.MAX_CONCURRENCY, 4);
            pool.worker(props)
                    .use("slow", ctx -> {
                        release.await(60, TimeUnit.SECONDS);
                        return TaskOutcome.done();
                    })
                    .use("fast", ctx -> TaskOutcome.done()).start();
            // All on one partition, the slow task first.
            Task slow = Pool.task("slow", "default", "{}");
            List<Task> tasks = new ArrayList<>(List.of(slow));
            for (int i = 0; i < 100; i++) {
                Task fast = Pool.task("fast", "default", "{}");
                fast.setId(slow.getId() + "-fast-" + i);
                tasks.add(fast);
            }
            pool.publish(tasks, 0);
            Pool.await("100 fast tasks", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().contains("-fast-")) == 100);
            assertEquals(0, pool.events().count(TaskEventType.SUCCEEDED, e -> e.getTaskId().equals(slow.getId())));

            // The slow task's partition has not been committed past it.
            String topic = pool.plan.names().tasks("default");
            List<ConsumerRecord<String, byte[]>> published = pool.readToEnd(topic, WAIT);
            ConsumerRecord<String, byte[]> slowRecord = published.stream()
                    .filter(r -> r.key().equals(slow.getId())).findFirst().orElseThrow();
            long lastOffset = published.stream().filter(r -> r.partition() == 0).mapToLong(ConsumerRecord::offset).max()
                    .orElseThrow();
            assertEquals(0, slowRecord.partition());
            TopicPartition tp = new TopicPartition(topic, 0);
            OffsetAndMetadata committed = committedOffset(kafka, pool, tp);
            assertTrue(committed == null || committed.offset() <= slowRecord.offset(),
                    "committed " + committed + " passed the slow task at " + slowRecord.offset());
            // The 100 fast tasks above it are finished and recorded in the commit metadata.
            assertTrue(committed != null && committed.metadata().startsWith("ff1:"), "metadata " + committed);

            release.countDown();
            Pool.await("the slow task", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(slow.getId())) == 1);
            // With the slow task done, the commit moves past every one of the 101 tasks at once.
            Pool.await("the commit past the last task", WAIT, () -> {
                try {
                    OffsetAndMetadata c = committedOffset(kafka, pool, tp);
                    return c != null && c.offset() > lastOffset;
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }

    @Test
    void shouldDeadLetterPoisonPillsAndKeepGoing(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            pool.worker(pool.workerProps("default")).use("echo", ctx -> TaskOutcome.done()).start();
            pool.publishRaw("default", "garbage", "this is not avro".getBytes(StandardCharsets.UTF_8));
            pool.publishRaw("default", "bad-magic", new byte[] {7, 0, 0, 0, 1, 2, 3});
            pool.publishRaw("default", "unknown-id", ByteBuffer.allocate(9).put((byte) 0).putInt(999_999).putInt(0).array());
            String good = pool.publish(List.of(Pool.task("echo", "default", "{}"))).get(0);
            Pool.await("the good task", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(good)) == 1);
            // Corrupt Avro: a right magic byte and a schema id the registry knows (the good task's), then a
            // body that is not a Task (a string length whose varint never ends).
            byte[] goodBytes = pool.readToEnd(pool.plan.names().tasks("default"), WAIT).stream()
                    .filter(r -> good.equals(r.key())).findFirst().orElseThrow().value();
            byte[] corrupt = ByteBuffer.allocate(8).put(goodBytes, 0, 5).put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF})
                    .array();
            pool.publishRaw("default", "corrupt-avro", corrupt);
            String after = pool.publish(List.of(Pool.task("echo", "default", "{}"))).get(0);
            Pool.await("the task after the corrupt record", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(after)) == 1);
            List<ConsumerRecord<String, byte[]>> dead = pool.readToEnd(pool.plan.names().deadLetter(), WAIT);
            assertEquals(Set.of("garbage", "bad-magic", "unknown-id", "corrupt-avro"),
                    dead.stream().map(ConsumerRecord::key).collect(Collectors.toSet()));
            for (ConsumerRecord<String, byte[]> r : dead) {
                assertEquals(RecordHeaders.REASON_UNDECODABLE, header(r, RecordHeaders.DLT_REASON));
                assertEquals(pool.plan.names().tasks("default"), header(r, RecordHeaders.DLT_SOURCE_TOPIC));
                assertTrue(!header(r, RecordHeaders.DLT_ERROR_MESSAGE).isBlank());
            }
            ConsumerRecord<String, byte[]> garbage = dead.stream().filter(r -> r.key().equals("garbage")).findFirst().get();
            assertEquals("this is not avro", new String(garbage.value(), StandardCharsets.UTF_8), "raw bytes kept");
        }
    }

    @Test
    void shouldHonourAPerHandlerConcurrencyLimit(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxSeen = new AtomicInteger();
            Map<String, Object> props = pool.workerProps("default");
            props.put(WorkerConfig.MAX_CONCURRENCY, 8);
            pool.worker(props).use("limited", ctx -> {
                int now = running.incrementAndGet();
                maxSeen.accumulateAndGet(now, Math::max);
                Thread.sleep(30); // simulated work
                running.decrementAndGet();
                return TaskOutcome.done();
            }, HandlerOptions.builder().maxConcurrency(2).build()).start();
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                tasks.add(Pool.task("limited", "default", "{}"));
            }
            pool.publish(tasks);
            Pool.await("40 tasks", WAIT, () -> pool.events().of(TaskEventType.SUCCEEDED).size() == 40);
            assertEquals(2, maxSeen.get(), "never more than the handler's limit, and the limit was reached");
        }
    }

    @Test
    void shouldDrainRunningTasksOnGracefulShutdown(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            CountDownLatch started = new CountDownLatch(3);
            Worker worker = pool.worker(pool.workerProps("default")).use("work", ctx -> {
                started.countDown();
                Thread.sleep(1500); // simulated work that outlives the shutdown call
                return TaskOutcome.done();
            });
            worker.start();
            pool.publish(List.of(Pool.task("work", "default", "{}"), Pool.task("work", "default", "{}"),
                    Pool.task("work", "default", "{}")));
            assertTrue(started.await(60, TimeUnit.SECONDS));
            worker.shutdown();
            assertEquals(WorkerState.STOPPING, worker.state());
            assertTrue(worker.awaitTermination(Duration.ofSeconds(30)));
            assertEquals(WorkerState.STOPPED, worker.state());
            Pool.await("3 drained tasks committed", WAIT, () -> pool.events().of(TaskEventType.SUCCEEDED).size() == 3);
        }
    }

    @Test
    void shouldStartNothingWhilePausedAndCatchUpOnResume(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Worker worker = pool.worker(pool.workerProps("default")).use("echo", ctx -> TaskOutcome.done());
            worker.start();
            pool.awaitMembers("default", 1);
            worker.pause();
            assertEquals(WorkerState.PAUSED, worker.state());
            List<String> ids = pool.publish(List.of(Pool.task("echo", "default", "{}"), Pool.task("echo", "default", "{}")));
            // A task on the events topic proves the publish is visible; the paused worker must not start it.
            Pool.await("the CREATED events", WAIT, () -> pool.events().of(TaskEventType.CREATED).size() == 2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                assertEquals(0, pool.events().of(TaskEventType.STARTED).size(), "started while paused");
                Thread.sleep(50); // observing that nothing happens for a while
            }
            worker.resume();
            assertEquals(WorkerState.RUNNING, worker.state());
            Pool.await("both tasks", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED, e -> ids.contains(e.getTaskId())) == 2);
        }
    }

    private static OffsetAndMetadata committedOffset(KafkaEndpoints kafka, Pool pool, TopicPartition tp)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(pool.plan.names().prefix() + "fibflow.default")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(tp);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
