package io.fibflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.HandlerOptions;
import io.fibflow.api.RecordHeaders;
import io.fibflow.api.RetryBackoff;
import io.fibflow.api.TaskFailure;
import io.fibflow.api.TaskOutcome;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries and delays through the delay tiers; timeouts; NO_HANDLER (issue: retries). */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DelayIT {

    private static final Logger log = LoggerFactory.getLogger(DelayIT.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldRetryWithExponentiallyGrowingGapsNeverShorterThanComputed(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
            pool.worker(pool.workerProps("default")).use("flaky", ctx -> {
                if (runs.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger()).incrementAndGet() < 3) {
                    throw new IllegalStateException("not yet");
                }
                return TaskOutcome.done();
            }).start();
            Task t = Pool.task("flaky", "default", "{}");
            t.setRetryPolicy(RetryBackoff.exponential(Duration.ofMillis(400), 2.0, Duration.ofSeconds(10), 0.0).toAvro());
            t.setMaxAttempts(3);
            pool.publish(List.of(t));
            Attempts a = awaitSuccessAtAttempt(pool, t, 3);
            List<TaskEvent> failed = a.failed();
            List<TaskEvent> scheduled = a.scheduled();
            List<TaskEvent> started = a.started();
            assertEquals(2, failed.size());
            assertEquals(3, started.size());
            long gap1 = started.get(1).getTime().toEpochMilli() - failed.get(0).getTime().toEpochMilli();
            long gap2 = started.get(2).getTime().toEpochMilli() - failed.get(1).getTime().toEpochMilli();
            for (int i = 0; i < 2; i++) {
                long computed = scheduled.get(i).getDueTime().toEpochMilli() - scheduled.get(i).getTime().toEpochMilli();
                long gap = i == 0 ? gap1 : gap2;
                assertEquals(400L << i, computed, "the computed delay after attempt " + (i + 1));
                assertTrue(gap >= computed, "gap " + gap + " ms shorter than the computed " + computed + " ms");
            }
            assertTrue(gap2 > gap1, "gaps grow: " + gap1 + " then " + gap2);
            log.info("retry gaps: {} ms (computed 400), {} ms (computed 800)", gap1, gap2);
        }
    }

    @Test
    void shouldRunAThousandTasksThatFailOnceWithA100msBackoff(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Map<String, Boolean> failedOnce = new ConcurrentHashMap<>();
            Map<String, Object> props = pool.workerProps("default");
            props.put(WorkerConfig.MAX_CONCURRENCY, 8);
            pool.worker(props).use("once", ctx -> {
                if (failedOnce.putIfAbsent(ctx.taskId(), true) == null) {
                    throw new IllegalStateException("first attempt fails");
                }
                return TaskOutcome.done();
            }, HandlerOptions.builder().backoff(RetryBackoff.fixed(Duration.ofMillis(100))).build()).start();
            pool.awaitMembers("default", 1);
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                tasks.add(Pool.task("once", "default", "{}"));
            }
            long start = System.nanoTime();
            pool.publish(tasks);
            Pool.await("1000 successes", Duration.ofSeconds(120),
                    () -> pool.events().of(TaskEventType.SUCCEEDED).size() == 1000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(1000, pool.events().of(TaskEventType.RETRY_SCHEDULED).size());
            assertTrue(pool.events().of(TaskEventType.SUCCEEDED).stream().allMatch(e -> e.getAttempt() == 2));
            log.info("1,000 tasks failing once with a 100 ms backoff: all succeeded {} ms after publishing", ms);
        }
    }

    @Test
    void shouldStartADelayedTaskNoEarlierThanItsDelayOnTheBrokersClock(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            pool.worker(pool.workerProps("default")).use("later", ctx -> TaskOutcome.done()).start();
            Task t = Pool.task("later", "default", "{}");
            long submitted = pool.publishDelayed(t, Duration.ofSeconds(3));
            Pool.await("the delayed task", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(t.getId())) == 1);
            long startedAt = pool.events().forTask(t.getId()).stream().filter(e -> e.getType() == TaskEventType.STARTED)
                    .findFirst().orElseThrow().getTime().toEpochMilli();
            long waited = startedAt - submitted;
            assertTrue(waited >= 3000, "started " + waited + " ms after submit");
            assertTrue(waited < 3000 + 1000, "started " + waited + " ms after submit: beyond the tiers' precision");
            log.info("3 s delay: started {} ms after the broker appended the submission", waited);
        }
    }

    @Test
    void shouldHopALongDelayThroughTheTiers(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            pool.worker(pool.workerProps("default")).use("later", ctx -> TaskOutcome.done()).start();
            Task t = Pool.task("later", "default", "{}");
            // 7 s over tiers of at most 2 s stands in for 70 s over the default tiers.
            long submitted = pool.publishDelayed(t, Duration.ofSeconds(7));
            Pool.await("the delayed task", Duration.ofSeconds(60), () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(t.getId())) == 1);
            long startedAt = pool.events().forTask(t.getId()).stream().filter(e -> e.getType() == TaskEventType.STARTED)
                    .findFirst().orElseThrow().getTime().toEpochMilli();
            assertTrue(startedAt - submitted >= 7000, "started " + (startedAt - submitted) + " ms after submit");
            List<String> path = new ArrayList<>();
            for (String tier : Pool.TIERS) {
                String topic = pool.plan.names().delay(io.fibflow.api.topics.DelayTier.parse(tier));
                for (ConsumerRecord<String, byte[]> r : pool.readToEnd(topic, WAIT)) {
                    if (r.key().equals(t.getId())) {
                        path.add(tier + "@" + r.timestamp());
                    }
                }
            }
            path.sort((a, b) -> Long.compare(Long.parseLong(a.split("@")[1]), Long.parseLong(b.split("@")[1])));
            List<String> tiers = path.stream().map(p -> p.split("@")[0]).toList();
            // Largest fitting tier first, then ever smaller ones: 2s, 2s, 2s, then what is left.
            assertEquals(List.of("2s", "2s", "2s"), tiers.subList(0, 3), "hops: " + path);
            List<Long> sizes = tiers.stream().map(x -> io.fibflow.api.topics.DelayTier.parse(x).duration().toMillis()).toList();
            for (int i = 1; i < sizes.size(); i++) {
                assertTrue(sizes.get(i) <= sizes.get(i - 1), "tiers never grow along the way: " + path);
            }
            for (int i = 1; i < path.size(); i++) {
                long previous = Long.parseLong(path.get(i - 1).split("@")[1]);
                long tierMs = sizes.get(i - 1);
                // A hop is released at its append time + its tier (the final due time is later still).
                assertTrue(Long.parseLong(path.get(i).split("@")[1]) >= previous + tierMs,
                        "no hop leaves its tier early: " + path);
            }
            log.info("7 s delay hopped {} and started {} ms after submit", tiers, startedAt - submitted);
        }
    }

    @Test
    void shouldTimeOutAnAttemptInterruptItAndRetry(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            AtomicInteger interrupted = new AtomicInteger();
            Worker worker = pool.worker(pool.workerProps("default")).use("slow", ctx -> {
                try {
                    Thread.sleep(30_000); // far past its timeout
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
                return TaskOutcome.done();
            }, HandlerOptions.builder().timeout(Duration.ofMillis(500)).maxAttempts(2)
                    .backoff(RetryBackoff.fixed(Duration.ofMillis(100))).build());
            worker.start();
            Task t = Pool.task("slow", "default", "{}");
            pool.publish(List.of(t));
            Pool.await("permanently failed after two timeouts", WAIT, () -> pool.events().count(
                    TaskEventType.PERMANENTLY_FAILED, e -> e.getTaskId().equals(t.getId())) == 1);
            List<TaskEvent> timedOut = pool.events().forTask(t.getId()).stream()
                    .filter(e -> e.getType() == TaskEventType.TIMED_OUT).toList();
            assertEquals(2, timedOut.size());
            assertEquals(TaskFailure.TIMEOUT, timedOut.get(0).getError().getType());
            assertEquals(2, interrupted.get(), "the handler thread was interrupted each time");
            assertEquals(0, worker.stuckSlots());
        }
    }

    @Test
    void shouldReportAHandlerThatIgnoresInterruptionAsAStuckSlotAndDiscardItsLateResult(KafkaEndpoints kafka)
            throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            CountDownLatch release = new CountDownLatch(1);
            Map<String, Object> props = pool.workerProps("default");
            props.put(WorkerConfig.STUCK_GRACE_MS, 300L);
            props.put(WorkerConfig.STATUS_INTERVAL_MS, 200L);
            Worker worker = pool.worker(props).use("stubborn", ctx -> {
                while (release.getCount() > 0) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException ignored) {
                        // a badly written handler swallows the interruption and carries on
                    }
                }
                return TaskOutcome.result(Map.of("late", true));
            }, HandlerOptions.builder().timeout(Duration.ofMillis(300)).maxAttempts(1).build());
            worker.start();
            Task t = Pool.task("stubborn", "default", "{}");
            pool.publish(List.of(t));
            Pool.await("the timeout recorded", WAIT, () -> pool.events().count(TaskEventType.PERMANENTLY_FAILED,
                    e -> e.getTaskId().equals(t.getId())) == 1);
            Pool.await("a stuck slot", WAIT, () -> worker.stuckSlots() == 1);
            // Operators see it in the heartbeat, not only through the Java API.
            Pool.await("a heartbeat reporting the stuck slot", WAIT, () -> pool.statuses().all.stream()
                    .anyMatch(s -> s.getWorkerId().equals(worker.workerId()) && s.getStuckSlots() == 1));
            Instant stuckReported = pool.statuses().all.stream()
                    .filter(s -> s.getWorkerId().equals(worker.workerId()) && s.getStuckSlots() == 1)
                    .findFirst().orElseThrow().getHeartbeatAt();
            release.countDown();
            Pool.await("the slot freed", WAIT, () -> worker.stuckSlots() == 0 && worker.inFlight() == 0);
            Pool.await("a later heartbeat with no stuck slot", WAIT, () -> pool.statuses().all.stream()
                    .anyMatch(s -> s.getWorkerId().equals(worker.workerId()) && s.getStuckSlots() == 0
                            && s.getHeartbeatAt().isAfter(stuckReported)));
            // Its late result is never recorded.
            Task probe = Pool.task("stubborn", "default", "{}");
            pool.publish(List.of(probe));
            Pool.await("a later task's outcome", WAIT, () -> pool.events().count(TaskEventType.PERMANENTLY_FAILED,
                    e -> e.getTaskId().equals(probe.getId())) == 1 || pool.events().count(TaskEventType.STARTED,
                    e -> e.getTaskId().equals(probe.getId())) == 1);
            assertEquals(0, pool.events().count(TaskEventType.SUCCEEDED, e -> e.getTaskId().equals(t.getId())));
        }
    }

    @Test
    void shouldRetryAfterTheDelayAFailureNamesRatherThanTheBackoffWhenItNamesOne(KafkaEndpoints kafka)
            throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Duration named = Duration.ofMillis(1500);
            pool.worker(pool.workerProps("default")).use("rate_limited", ctx -> {
                if (ctx.attempt() == 1) {
                    throw TaskFailure.retryable("RATE_LIMITED", "429 from the API").withNextDelay(named);
                }
                if (ctx.attempt() == 2) {
                    throw new IllegalStateException("an ordinary failure: the backoff applies again");
                }
                return TaskOutcome.done();
            }, HandlerOptions.builder().maxAttempts(3).backoff(RetryBackoff.fixed(Duration.ofMillis(100))).build())
                    .start();
            Task t = Pool.task("rate_limited", "default", "{}");
            pool.publish(List.of(t));
            Attempts a = awaitSuccessAtAttempt(pool, t, 3);
            List<TaskEvent> failed = a.failed();
            List<TaskEvent> scheduled = a.scheduled();
            List<TaskEvent> started = a.started();
            assertEquals(2, failed.size());
            assertEquals(2, scheduled.size());
            assertEquals(3, started.size());
            assertEquals("RATE_LIMITED", failed.get(0).getError().getType());
            assertTrue(failed.get(0).getError().getRetryable());
            long firstDue = scheduled.get(0).getDueTime().toEpochMilli() - scheduled.get(0).getTime().toEpochMilli();
            long secondDue = scheduled.get(1).getDueTime().toEpochMilli() - scheduled.get(1).getTime().toEpochMilli();
            assertEquals(named.toMillis(), firstDue, "the due time after attempt 1 is the failure's own delay");
            assertEquals(100, secondDue, "the due time after attempt 2 is the handler's backoff");
            long gap = started.get(1).getTime().toEpochMilli() - failed.get(0).getTime().toEpochMilli();
            assertTrue(gap >= named.toMillis(), "attempt 2 started " + gap + " ms after attempt 1 failed");
            log.info("a failure naming a {} ms delay: attempt 2 started {} ms after it (backoff 100 ms)",
                    named.toMillis(), gap);
        }
    }

    @Test
    void shouldSendATaskBackThroughTheTiersAndRunItNoEarlierWhenItArrivesBeforeItsNotBefore(KafkaEndpoints kafka)
            throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Map<String, Long> ranAt = new ConcurrentHashMap<>();
            pool.worker(pool.workerProps("default")).use("later", ctx -> {
                ranAt.put(ctx.taskId() + "#" + ctx.epoch(), System.currentTimeMillis());
                return TaskOutcome.done();
            }).start();
            pool.awaitMembers("default", 1);
            Task t = Pool.task("later", "default", "{}");
            Instant notBefore = Instant.now().plusMillis(2500);
            t.setNotBefore(notBefore);
            // Straight to tasks.default, as a producer that ignores the delay tiers would write it.
            pool.publish(List.of(t));
            Pool.await("the early task", WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(t.getId())) == 1);
            List<TaskEvent> h = pool.events().forTask(t.getId());
            TaskEvent sentBack = h.stream().filter(e -> e.getType() == TaskEventType.RETRY_SCHEDULED)
                    .findFirst().orElseThrow(() -> new AssertionError("no RETRY_SCHEDULED: " + h));
            assertTrue(sentBack.getTime().isBefore(notBefore), "it was received early: " + sentBack);
            assertEquals(1, sentBack.getAttempt(), "same attempt");
            assertEquals(t.getEpoch() + 1, sentBack.getEpoch(), "epoch + 1");
            long dueSkew = sentBack.getDueTime().toEpochMilli() - notBefore.toEpochMilli();
            assertTrue(dueSkew >= 0 && dueSkew < 500, "due at its not-before, got " + dueSkew + " ms after it");
            assertEquals(0, h.stream().filter(e -> e.getType() == TaskEventType.FAILED).count(), "not a failure");
            List<TaskEvent> started = h.stream().filter(e -> e.getType() == TaskEventType.STARTED).toList();
            assertEquals(1, started.size(), "it ran once: " + h);
            assertEquals(1, started.get(0).getAttempt());
            assertFalse(started.get(0).getTime().isBefore(notBefore),
                    "started " + (started.get(0).getTime().toEpochMilli() - notBefore.toEpochMilli())
                            + " ms after its not-before");
            assertEquals(1, ranAt.size(), "the handler ran once: " + ranAt);
            long ran = ranAt.values().iterator().next();
            assertTrue(ran >= notBefore.toEpochMilli(), "ran " + (ran - notBefore.toEpochMilli()) + " ms after not-before");
            // The way back was the delay tiers, not a wait in the worker.
            boolean inATier = false;
            for (String tier : Pool.TIERS) {
                String topic = pool.plan.names().delay(io.fibflow.api.topics.DelayTier.parse(tier));
                inATier |= pool.readToEnd(topic, WAIT).stream().anyMatch(r -> t.getId().equals(r.key()));
            }
            assertTrue(inATier, "the task went through a delay tier");
            log.info("a task {} ms early was sent back and ran {} ms after its not-before", notBefore.toEpochMilli()
                    - sentBack.getTime().toEpochMilli(), ran - notBefore.toEpochMilli());
        }
    }

    @Test
    void shouldRetryATaskWithoutAHandlerThroughTheTiersThenDeadLetterIt(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            pool.worker(pool.workerProps("default")).use("known", ctx -> TaskOutcome.done()).start();
            Task t = Pool.task("unknown_handler", "default", "{}");
            t.setMaxAttempts(3);
            t.setRetryPolicy(RetryBackoff.fixed(Duration.ofMillis(300)).toAvro());
            pool.publish(List.of(t));
            Pool.await("dead-lettered", WAIT, () -> pool.events().count(TaskEventType.DEAD_LETTERED,
                    e -> e.getTaskId().equals(t.getId())) == 1);
            List<TaskEvent> h = pool.events().forTask(t.getId());
            assertEquals(2, h.stream().filter(e -> e.getType() == TaskEventType.RETRY_SCHEDULED).count());
            assertEquals(0, h.stream().filter(e -> e.getType() == TaskEventType.STARTED).count());
            TaskEvent failed = h.stream().filter(e -> e.getType() == TaskEventType.PERMANENTLY_FAILED).findFirst().orElseThrow();
            assertEquals(TaskFailure.NO_HANDLER, failed.getError().getType());
            ConsumerRecord<String, byte[]> dead = pool.readAll(pool.plan.names().deadLetter(), 1, WAIT).get(0);
            assertEquals(TaskFailure.NO_HANDLER,
                    new String(dead.headers().lastHeader(RecordHeaders.DLT_REASON).value(), StandardCharsets.UTF_8));
        }
    }

    /** A task's FAILED, RETRY_SCHEDULED and STARTED events, in order. */
    private record Attempts(List<TaskEvent> failed, List<TaskEvent> scheduled, List<TaskEvent> started) {
    }

    /** Waits until the task has succeeded at {@code attempt}; returns its attempts' events. */
    private static Attempts awaitSuccessAtAttempt(Pool pool, Task t, int attempt) throws InterruptedException {
        Pool.await("success at attempt " + attempt, WAIT, () -> pool.events().count(TaskEventType.SUCCEEDED,
                e -> e.getTaskId().equals(t.getId()) && e.getAttempt() == attempt) == 1);
        List<TaskEvent> h = pool.events().forTask(t.getId());
        return new Attempts(h.stream().filter(e -> e.getType() == TaskEventType.FAILED).toList(),
                h.stream().filter(e -> e.getType() == TaskEventType.RETRY_SCHEDULED).toList(),
                h.stream().filter(e -> e.getType() == TaskEventType.STARTED).toList());
    }
}
