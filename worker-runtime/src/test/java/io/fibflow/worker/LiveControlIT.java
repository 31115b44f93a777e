package io.fibflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.TaskOutcome;
import io.fibflow.api.serde.AvroDeserializer;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.WorkerStatus;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cancellation, hot reload and heartbeats of a running worker (issue: cancellation, hot reload, heartbeats). */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LiveControlIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldSkipATaskCancelledBeforeItStarts(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Task t = Pool.task("work", "default", "{}");
            cancel(pool, t.getId()); // cancelled before any worker runs: read to the end at start-up
            // Both tasks wait in the topic before the worker starts, so its first poll returns the
            // cancelled one: only a worker that read the cancellations first can skip it.
            String other = pool.publish(List.of(t, Pool.task("work", "default", "{}"))).get(1);
            AtomicBoolean ran = new AtomicBoolean();
            pool.worker(pool.workerProps("default")).use("work", ctx -> {
                ran.set(true);
                return TaskOutcome.done();
            }).start();
            Pool.await("the cancellation recorded and the other task done", WAIT,
                    () -> pool.events().count(TaskEventType.CANCELLED, e -> e.getTaskId().equals(t.getId())) == 1
                            && pool.events().count(TaskEventType.SUCCEEDED, e -> e.getTaskId().equals(other)) == 1);
            assertEquals(0, pool.events().count(TaskEventType.STARTED, e -> e.getTaskId().equals(t.getId())));
            assertTrue(ran.get(), "the other task ran");
        }
    }

    @Test
    void shouldInterruptARunningTaskWhenItIsCancelled(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean sawFlag = new AtomicBoolean();
            pool.worker(pool.workerProps("default")).use("long", ctx -> {
                started.countDown();
                try {
                    Thread.sleep(60_000); // long work, cooperative: it honours interruption
                } catch (InterruptedException e) {
                    sawFlag.set(ctx.isCancelled());
                    throw e;
                }
                return TaskOutcome.done();
            }).start();
            Task t = Pool.task("long", "default", "{}");
            pool.publish(List.of(t));
            assertTrue(started.await(60, TimeUnit.SECONDS));
            cancel(pool, t.getId());
            Pool.await("CANCELLED", WAIT, () -> pool.events().count(TaskEventType.CANCELLED,
                    e -> e.getTaskId().equals(t.getId())) == 1);
            assertTrue(sawFlag.get(), "the context exposed the cancellation");
            assertEquals(0, pool.events().count(TaskEventType.FAILED, e -> e.getTaskId().equals(t.getId())));
            assertEquals(0, pool.events().of(TaskEventType.RETRY_SCHEDULED).size(), "a cancelled task is not retried");
        }
    }

    @Test
    void shouldDropACancelledTaskFromTheDelayTiers(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            pool.worker(pool.workerProps("default")).use("later", ctx -> TaskOutcome.done()).start();
            Task cancelled = Pool.task("later", "default", "{}");
            Task kept = Pool.task("later", "default", "{}");
            // The cancelled task is due 2 s before the kept one: the forwarder releases records in due
            // order, so once the kept task has run, the cancelled one has had its turn (and was dropped).
            pool.publishDelayed(cancelled, Duration.ofSeconds(2));
            pool.publishDelayed(kept, Duration.ofSeconds(4));
            cancel(pool, cancelled.getId());
            Pool.await("the kept task", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(kept.getId())) == 1);
            List<String> arrived = pool.readToEnd(pool.plan.names().tasks("default"), WAIT).stream()
                    .map(ConsumerRecord::key).toList();
            assertEquals(List.of(kept.getId()), arrived, "the cancelled task never left the delay tier");
        }
    }

    @Test
    void shouldFinishAnAttemptOnTheOldHandlerAndStartTheNextOnTheNew(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            CountDownLatch oldStarted = new CountDownLatch(1);
            CountDownLatch releaseOld = new CountDownLatch(1);
            Worker worker = pool.worker(pool.workerProps("default")).use("swap", ctx -> {
                oldStarted.countDown();
                releaseOld.await(60, TimeUnit.SECONDS);
                return TaskOutcome.result(Map.of("version", "old"));
            });
            worker.start();
            Task first = Pool.task("swap", "default", "{}");
            pool.publish(List.of(first));
            assertTrue(oldStarted.await(60, TimeUnit.SECONDS));
            worker.use("swap", ctx -> TaskOutcome.result(Map.of("version", "new"))); // hot swap mid-attempt
            releaseOld.countDown();
            Task second = Pool.task("swap", "default", "{}");
            pool.publish(List.of(second));
            Pool.await("both done", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(first.getId()) || e.getTaskId().equals(second.getId())) == 2);
            assertEquals("{\"version\":\"old\"}", result(pool, first.getId()));
            assertEquals("{\"version\":\"new\"}", result(pool, second.getId()));

            assertTrue(worker.unuse("swap"));
            Task third = Pool.task("swap", "default", "{}");
            third.setMaxAttempts(1);
            pool.publish(List.of(third));
            Pool.await("the third dead-lettered for lack of a handler", WAIT, () -> pool.events()
                    .count(TaskEventType.PERMANENTLY_FAILED, e -> e.getTaskId().equals(third.getId())) == 1);
            assertEquals(0, pool.events().count(TaskEventType.STARTED, e -> e.getTaskId().equals(third.getId())),
                    "unuse stops new starts");
        }
    }

    @Test
    void shouldPublishHeartbeatsWhileRunningAndATombstoneOnStop(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Map<String, Object> props = pool.workerProps("default");
            props.put(WorkerConfig.WORKER_ID, "beating");
            props.put(WorkerConfig.STATUS_INTERVAL_MS, 200L);
            Worker worker = pool.worker(props).use("a", ctx -> TaskOutcome.done()).use("b", ctx -> TaskOutcome.done());
            worker.start();
            String topic = pool.plan.names().workers();
            List<ConsumerRecord<String, byte[]>> beats = pool.readAll(topic, 3, WAIT);
            assertTrue(beats.size() >= 3, "several heartbeats: " + beats.size());
            WorkerStatus status = new AvroDeserializer<>(WorkerStatus.class, pool.registry).deserialize(topic, beats.get(0).value());
            assertEquals("beating", status.getWorkerId());
            assertEquals(List.of("default"), status.getCapabilities());
            assertEquals(List.of("a", "b"), status.getHandlers());
            assertEquals(8, status.getMaxConcurrency());
            assertEquals(0, status.getInFlight());
            assertEquals(0, status.getStuckSlots());
            assertFalse(status.getHost().isBlank(), "the host is named");
            assertFalse(status.getVersion().isBlank(), "the version is named");
            WorkerStatus third = new AvroDeserializer<>(WorkerStatus.class, pool.registry).deserialize(topic, beats.get(2).value());
            assertEquals(status.getStartedAt(), third.getStartedAt(), "one start time for the worker's life");
            assertTrue(third.getHeartbeatAt().isAfter(status.getHeartbeatAt()), "each beat is stamped anew");
            assertFalse(status.getStartedAt().isAfter(status.getHeartbeatAt()));

            worker.shutdown();
            assertTrue(worker.awaitTermination(Duration.ofSeconds(30)));
            List<ConsumerRecord<String, byte[]>> all = pool.readToEnd(topic, WAIT);
            ConsumerRecord<String, byte[]> last = all.get(all.size() - 1);
            assertEquals("beating", last.key());
            assertNull(last.value(), "a tombstone on graceful stop");
        }
    }

    private static String result(Pool pool, String id) {
        TaskEvent e = pool.events().forTask(id).stream().filter(x -> x.getType() == TaskEventType.SUCCEEDED)
                .findFirst().orElseThrow();
        return StandardCharsets.UTF_8.decode(e.getResultPayload().getData()).toString();
    }

    private static void cancel(Pool pool, String taskId) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pool.kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(pool.plan.names().cancellations(), taskId,
                    "cancelled".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }
}
