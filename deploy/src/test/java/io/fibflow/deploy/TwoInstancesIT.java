package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.ChildTask;
import io.fibflow.api.TaskOutcome;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import io.fibflow.topology.TopologyServer;
import io.fibflow.topology.TopologySettings;
import io.fibflow.worker.Worker;
import io.fibflow.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Two topology instances on one broker: either answers every query; one stops cleanly and the other takes over. */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TwoInstancesIT {

    private static final Logger log = LoggerFactory.getLogger(TwoInstancesIT.class);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldAnswerEveryQueryFromEitherInstanceAndSurviveACleanStop(KafkaEndpoints kafka, @TempDir Path dir)
            throws Exception {
        TopicPlan plan = TopicPlan.builder().prefix("two-" + UUID.randomUUID().toString().substring(0, 8) + ".")
                .capabilities("default").taskPartitions(4).eventPartitions(4).delayTiers("100ms", "1s").build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
        }
        TopologyServer a = server(kafka, plan, dir.resolve("a"));
        TopologyServer b = server(kafka, plan, dir.resolve("b"));
        Map<String, Object> props = new HashMap<>();
        props.put(WorkerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(WorkerConfig.SCHEMA_REGISTRY_URL, kafka.schemaRegistryUrl());
        props.put(WorkerConfig.TOPIC_PREFIX, plan.names().prefix());
        props.put(WorkerConfig.DELAY_TIERS, "100ms,1s");
        try (Worker worker = new Worker(props)) {
            worker.use("echo", ctx -> TaskOutcome.result(Map.of("n", ctx.payload(Map.class).get("n"))));
            worker.use("parent", ctx -> ctx.stage() == 0
                    ? TaskOutcome.next(List.of(ChildTask.of("echo", Map.of("n", 1)), ChildTask.of("echo", Map.of("n", 2)),
                            ChildTask.of("echo", Map.of("n", 3))))
                    : TaskOutcome.result(Map.of("children", ctx.childResults().size())));
            worker.start();
            Api apiA = new Api(a.url());
            Api apiB = new Api(b.url());
            apiA.await("/health", WAIT, r -> r.status() == 200);
            apiB.await("/health", WAIT, r -> r.status() == 200);

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(apiA.post("/tasks", "{\"name\":\"echo\",\"tag\":\"two\",\"payload\":{\"n\":" + i + "}}")
                        .body().path("id").asText());
            }
            String root = apiB.post("/tasks", "{\"name\":\"parent\",\"tag\":\"two\"}").body().path("id").asText();
            apiA.await("/tasks/" + root, WAIT, r -> Api.status(r, "SUCCEEDED"));
            for (String id : ids) {
                // Per-key queries: whichever instance owns the key, both answer (one forwards).
                apiA.await("/tasks/" + id, WAIT, r -> Api.status(r, "SUCCEEDED"));
                assertEquals("SUCCEEDED", apiB.get("/tasks/" + id).body().path("status").asText());
                assertEquals(200, apiB.get("/tasks/" + id + "/events").status());
            }
            for (Api api : List.of(apiA, apiB)) {
                Api.Response list = api.get("/tasks?tag=two&limit=1000");
                assertEquals(24, list.body().path("tasks").size(), "20 tasks + parent + 3 children: " + list.raw());
                assertEquals(3, api.get("/tasks/" + root + "/children").body().path("children").size());
                Api.Response wf = api.get("/workflows/" + root);
                assertEquals(4, wf.body().path("tasks").asInt(), wf.raw());
                assertEquals(3, wf.body().path("tree").path("children").size(), wf.raw());
                assertEquals(24, api.get("/stats?tag=two").body().path("byStatus").path("SUCCEEDED").asLong());
            }
            // A request a peer already forwarded is never forwarded again: the owner answers it, the
            // other instance says 503 and why (no loops between instances that disagree on ownership).
            for (String id : ids) {
                Api.Response viaA = apiA.get("/tasks/" + id, "X-Fibflow-Forwarded", "1");
                Api.Response viaB = apiB.get("/tasks/" + id, "X-Fibflow-Forwarded", "1");
                List<Integer> statuses = List.of(viaA.status(), viaB.status()).stream().sorted().toList();
                assertEquals(List.of(200, 503), statuses, viaA.raw() + " / " + viaB.raw());
                String refused = viaA.status() == 503 ? viaA.raw() : viaB.raw();
                assertTrue(refused.contains("already forwarded once"), refused);
            }
            // Both instances own partitions, so per-key queries above were forwarded one way or the other.
            for (TopologyServer s : List.of(a, b)) {
                assertTrue(s.streams().kafkaStreams().metadataForLocalThreads().stream()
                        .anyMatch(t -> !t.activeTasks().isEmpty()), "each instance owns partitions");
            }
            // With standbys (instances=2 means one standby), stale reads see each task once, not twice.
            for (Api api : List.of(apiA, apiB)) {
                api.await("/stats?tag=two&stale=true", WAIT, r -> r.status() == 200
                        && r.body().path("total").asLong() == 24);
                Api.Response stale = api.get("/tasks?tag=two&limit=1000&stale=true");
                assertEquals(24, stale.body().path("tasks").size(), stale.raw());
                assertEquals(4, api.get("/workflows/" + root + "?stale=true").body().path("tasks").asInt());
            }

            long stopped = System.nanoTime();
            a.close(); // clean stop: LEAVE_GROUP, b takes every partition
            Api.Response all = apiB.await("/tasks?tag=two&limit=1000", WAIT,
                    r -> r.status() == 200 && r.body().path("tasks").size() == 24);
            for (String id : ids) {
                assertEquals("SUCCEEDED", apiB.await("/tasks/" + id, WAIT, r -> r.status() == 200).body()
                        .path("status").asText());
            }
            assertEquals(3, apiB.await("/tasks/" + root + "/children", WAIT, r -> r.status() == 200).body()
                    .path("children").size());
            assertEquals(4, apiB.await("/workflows/" + root, WAIT, r -> r.status() == 200).body().path("tasks").asInt());
            assertEquals(24, apiB.await("/stats?tag=two", WAIT, r -> r.status() == 200).body().path("total").asLong());
            for (String id : ids) {
                assertEquals(200, apiB.await("/tasks/" + id + "/events", WAIT, r -> r.status() == 200).status());
            }
            apiB.await("/health", WAIT, r -> r.status() == 200);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            log.info("after a clean stop of one of two instances, the other answered every query {} ms later", ms);
            assertTrue(all.body().path("tasks").size() == 24);
            // LEAVE_GROUP hands the partitions over at once; without it the survivor would wait out the
            // Streams session timeout (45 s) first.
            assertTrue(ms < 15_000, "the survivor took " + ms + " ms to answer everything");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void shouldAnswer503WithTheReasonWhenTheOwnerDoesNotAnswer(KafkaEndpoints kafka, @TempDir Path dir) throws Exception {
        TopicPlan plan = TopicPlan.builder().prefix("gone-" + UUID.randomUUID().toString().substring(0, 8) + ".")
                .capabilities("default").taskPartitions(2).eventPartitions(2).delayTiers("100ms", "1s").build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
        }
        TopologyServer a = server(kafka, plan, dir.resolve("a"), null);
        // b listens on 127.0.0.1 but tells its peers 127.0.0.2: a peer that cannot be reached.
        TopologyServer b = server(kafka, plan, dir.resolve("b"), "127.0.0.2");
        try {
            Api apiA = new Api(a.url());
            apiA.await("/health", WAIT, r -> r.status() == 200);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!ownsTaskState(a, plan) || !ownsTaskState(b, plan)) {
                assertTrue(System.nanoTime() < deadline, "each instance owns a task-events partition");
                Thread.sleep(50); // polling the assignment, with a deadline
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(apiA.post("/tasks", "{\"name\":\"nobody-runs-this\"}").body().path("id").asText());
            }
            int answered = 0;
            int unreachable = 0;
            for (String id : ids) {
                Api.Response r = apiA.await("/tasks/" + id, WAIT, x -> x.status() == 200 || x.status() == 503);
                if (r.status() == 503) {
                    assertTrue(r.raw().contains("127.0.0.2") && r.raw().contains("did not answer"), r.raw());
                    unreachable++;
                } else {
                    answered++;
                }
            }
            assertTrue(answered > 0 && unreachable > 0, answered + " answered by a, " + unreachable + " owned by b");
            Api.Response list = apiA.get("/tasks");
            assertEquals(503, list.status(), "a list needs every instance: " + list.raw());
            assertTrue(list.raw().contains("did not answer"), list.raw());
        } finally {
            a.close();
            b.close();
        }
    }

    private static boolean ownsTaskState(TopologyServer s, TopicPlan plan) {
        return s.streams().kafkaStreams().metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream())
                .flatMap(t -> t.topicPartitions().stream()).anyMatch(tp -> tp.topic().equals(plan.names().events()));
    }

    private static TopologyServer server(KafkaEndpoints kafka, TopicPlan plan, Path stateDir) {
        return server(kafka, plan, stateDir, null);
    }

    private static TopologyServer server(KafkaEndpoints kafka, TopicPlan plan, Path stateDir, String advertisedHost) {
        return TopologyServer.builder().settings(TopologySettings.builder().plan(plan)
                        .applicationId(plan.names().prefix() + "topology").bootstrapServers(kafka.bootstrapServers())
                        .stateDir(stateDir).override("commit.interval.ms", 50).build())
                .schemaRegistryUrl(kafka.schemaRegistryUrl()).httpPort(0).advertisedHost(advertisedHost).instances(2)
                .build().start();
    }
}
