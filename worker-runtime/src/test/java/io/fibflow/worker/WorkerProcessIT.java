package io.fibflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.RecordHeaders;
import io.fibflow.api.topics.DelayTier;
import io.fibflow.api.topics.DelayTiers;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Worker processes (WorkerMain, handlers from the ServiceLoader SPI) and a kill -9 in the middle of a batch. */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WorkerProcessIT {

    private static final Logger log = LoggerFactory.getLogger(WorkerProcessIT.class);
    private static final int TASKS = 1200;

    @Test
    void shouldLoseAndRepeatNothingCommittedWhenAWorkerIsKilled(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default")) {
            Process a = startWorker(pool, "proc-a");
            Process b = startWorker(pool, "proc-b");
            try {
                pool.awaitMembers("default", 2);
                List<Task> tasks = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    tasks.add(Pool.task("sleepy", "default", "{\"ms\":10}"));
                }
                Set<String> ids = new HashSet<>(pool.publish(tasks));
                Pool.await("a third done", Duration.ofSeconds(120),
                        () -> pool.events().of(TaskEventType.SUCCEEDED).size() >= TASKS / 3);
                Set<String> committedBeforeKill = pool.events().of(TaskEventType.SUCCEEDED).stream()
                        .map(TaskEvent::getTaskId).collect(Collectors.toSet());
                boolean aWasWorking = pool.events().of(TaskEventType.SUCCEEDED).stream()
                        .anyMatch(e -> e.getWorkerId().equals("proc-a"));
                long killed = System.nanoTime();
                a.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no leave-group
                a.waitFor(30, TimeUnit.SECONDS);

                long[] takeoverNanos = {0};
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                    String group = pool.plan.names().prefix() + "fibflow.default";
                    Pool.await("proc-b owning every partition", Duration.ofSeconds(90), () -> {
                        try {
                            var d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
                            boolean done = d.members().size() == 1
                                    && d.members().iterator().next().assignment().topicPartitions().size() == 4;
                            if (done) {
                                takeoverNanos[0] = System.nanoTime() - killed;
                            }
                            return done;
                        } catch (Exception e) {
                            return false;
                        }
                    });
                }
                Pool.await("every task succeeded", Duration.ofSeconds(120), () -> pool.events().of(TaskEventType.SUCCEEDED)
                        .stream().map(TaskEvent::getTaskId).collect(Collectors.toSet()).containsAll(ids));
                long allDoneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

                // No epoch has two committed outcomes.
                Map<String, Long> outcomesPerRun = pool.events().of(TaskEventType.SUCCEEDED).stream()
                        .collect(Collectors.groupingBy(e -> e.getTaskId() + "#" + e.getEpoch(), Collectors.counting()));
                assertEquals(TASKS, outcomesPerRun.size());
                assertTrue(outcomesPerRun.values().stream().allMatch(n -> n == 1), "a run with two committed outcomes");
                // Nothing whose outcome was committed before the kill ran again.
                List<String> reRun = committedBeforeKill.stream().filter(id -> pool.events().forTask(id).stream()
                        .anyMatch(e -> e.getType() == TaskEventType.STARTED && e.getWorkerId().equals("proc-b")
                                && e.getTime().toEpochMilli() > System.currentTimeMillis()
                                        - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)))
                        .toList();
                assertEquals(List.of(), reRun, "tasks committed before the kill were run again");
                assertTrue(aWasWorking, "the killed worker had been working");
                long rerunAfterKill = pool.events().of(TaskEventType.STARTED).stream()
                        .collect(Collectors.groupingBy(TaskEvent::getTaskId, Collectors.counting()))
                        .values().stream().filter(n -> n > 1).count();
                log.info("kill -9 failover (classic protocol, session.timeout.ms=6000, transaction.timeout.ms=10000): "
                        + "group rebalanced {} ms after the kill; all {} tasks done {} ms after it; "
                        + "{} committed before the kill; {} tasks started twice (uncommitted work re-run)",
                        TimeUnit.NANOSECONDS.toMillis(takeoverNanos[0]), TASKS, allDoneMs, committedBeforeKill.size(),
                        rerunAfterKill);
            } finally {
                a.destroyForcibly();
                b.destroy();
                b.waitFor(30, TimeUnit.SECONDS);
                b.destroyForcibly();
            }
        }
    }

    @Test
    void shouldLoseAndDuplicateNothingFromTheDelayTiersWhenAForwarderIsKilled(KafkaEndpoints kafka) throws Exception {
        try (Pool pool = new Pool(kafka, "default");
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String forwarders = pool.plan.names().prefix() + "fibflow.delay-forwarder";
            Process a = startWorker(pool, "fwd-a");
            Process b = startWorker(pool, "fwd-b");
            try {
                pool.awaitMembers("default", 2);
                pool.awaitGroupMembers(forwarders, 2);
                List<Task> tasks = new ArrayList<>();
                java.util.Random random = new java.util.Random(7);
                for (int i = 0; i < 300; i++) {
                    Task t = Pool.task("sleepy", "default", "{\"ms\":1}");
                    tasks.add(t);
                    pool.publishDelayed(t, Duration.ofMillis(500 + random.nextInt(3500)));
                }
                Pool.await("some forwarded", Duration.ofSeconds(60),
                        () -> pool.events().of(TaskEventType.SUCCEEDED).size() >= 30);
                // What fwd-a owns in the forwarder group at the moment it is killed.
                Set<TopicPartition> ownedByA = forwarderPartitions(admin, forwarders, "fibflow-fwd-a-delay");
                long killedAt = System.currentTimeMillis();
                a.destroyForcibly(); // mid-forwarding: most tasks are still waiting in the tiers
                a.waitFor(30, TimeUnit.SECONDS);
                assertFalse(ownedByA.isEmpty(), "the killed forwarder owned delay partitions");
                Set<String> ids = tasks.stream().map(Task::getId).collect(Collectors.toSet());
                Pool.await("every delayed task succeeded", Duration.ofSeconds(120), () -> pool.events()
                        .of(TaskEventType.SUCCEEDED).stream().map(TaskEvent::getTaskId).collect(Collectors.toSet())
                        .containsAll(ids));

                // fwd-a's partitions held records it could not yet have released (nothing leaves a tier
                // early on the broker's clock): fwd-b took them over and forwarded them.
                int pendingOnA = 0;
                for (TopicPartition tp : ownedByA) {
                    DelayTier tier = pool.plan.delayTiers().stream()
                            .filter(x -> pool.plan.names().delay(x).equals(tp.topic())).findFirst().orElseThrow();
                    for (ConsumerRecord<String, byte[]> r : pool.readToEnd(tp.topic(), Duration.ofSeconds(30))) {
                        if (r.partition() == tp.partition() && r.timestamp() <= killedAt
                                && DelayTiers.releaseAt(tier, r.timestamp(), dueOf(r)) > killedAt) {
                            pendingOnA++;
                        }
                    }
                }
                assertTrue(pendingOnA > 0, "the killed forwarder's partitions " + ownedByA + " had nothing pending");

                // Everything the target topic holds, not just the first 300: a duplicate cannot hide.
                Map<String, Long> arrivals = pool.readToEnd(pool.plan.names().tasks("default"), Duration.ofSeconds(30))
                        .stream().collect(Collectors.groupingBy(r -> r.key(), Collectors.counting()));
                assertEquals(ids, arrivals.keySet(), "every task arrived at its topic");
                assertTrue(arrivals.values().stream().allMatch(n -> n == 1),
                        "a task forwarded twice: " + arrivals.entrySet().stream().filter(e -> e.getValue() > 1).toList());
                log.info("delay forwarder kill -9: it owned {} of the tier partitions with {} records not yet due; "
                        + "all 300 delayed tasks forwarded exactly once and succeeded", ownedByA.size(), pendingOnA);
            } finally {
                a.destroyForcibly();
                b.destroy();
                b.waitFor(30, TimeUnit.SECONDS);
                b.destroyForcibly();
            }
        }
    }

    /** The delay-tier partitions the member with {@code clientId} is assigned in the forwarder group now. */
    private static Set<TopicPartition> forwarderPartitions(Admin admin, String group, String clientId) throws Exception {
        var d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
        return d.members().stream().filter(m -> m.clientId().equals(clientId))
                .flatMap(m -> m.assignment().topicPartitions().stream()).collect(Collectors.toSet());
    }

    /** The due time of a delay-tier record, as the forwarder reads it from its headers. */
    private static long dueOf(ConsumerRecord<String, byte[]> r) {
        Header due = r.headers().lastHeader(RecordHeaders.DELAY_DUE);
        if (due != null) {
            return Long.parseLong(new String(due.value(), StandardCharsets.UTF_8));
        }
        return r.timestamp() + Long.parseLong(new String(r.headers().lastHeader(RecordHeaders.DELAY_MS).value(),
                StandardCharsets.UTF_8));
    }

    private static Process startWorker(Pool pool, String id) throws Exception {
        Map<String, Object> props = new HashMap<>(pool.workerProps("default"));
        props.put(WorkerConfig.WORKER_ID, id);
        props.put(WorkerConfig.MAX_CONCURRENCY, 4);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
        props.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("fibflow worker " + id + " started")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker " + id + " did not start");
            }
        }
        if (line == null) {
            throw new IllegalStateException("worker " + id + " exited with " + p.waitFor());
        }
        assertTrue(line.contains("sleepy"), "handlers came from the ServiceLoader SPI: " + line);
        // Keep draining its output so the process never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                out.lines().forEach(l -> { });
            } catch (java.io.UncheckedIOException closed) {
                // the process ended
            }
        }, "drain-" + id);
        drain.setDaemon(true);
        drain.start();
        return p;
    }
}
