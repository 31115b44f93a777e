package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The topology's HTTP API with a worker on the embedded broker: queries, submit, commands, bad input. */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ApiIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path stateDir;

    private static TopologyServer server;
    private static TopicPlan plan;
    private static Worker worker;
    private static Api api;
    private static final Map<String, Boolean> failNext = new ConcurrentHashMap<>();

    @BeforeAll
    static void start(KafkaEndpoints kafka) throws Exception {
        plan = TopicPlan.builder().prefix("api-" + UUID.randomUUID().toString().substring(0, 8) + ".")
                .capabilities("default", "gpu").taskPartitions(3).eventPartitions(3).delayTiers("100ms", "1s").build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
        }
        server = TopologyServer.builder().settings(TopologySettings.builder().plan(plan)
                        .applicationId(plan.names().prefix() + "topology").bootstrapServers(kafka.bootstrapServers())
                        .stateDir(stateDir).override("commit.interval.ms", 50).build())
                .schemaRegistryUrl(kafka.schemaRegistryUrl()).httpPort(0).build().start();
        api = new Api(server.url());
        api.await("/health", WAIT, r -> r.status() == 200);
        Map<String, Object> props = new HashMap<>();
        props.put(WorkerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(WorkerConfig.SCHEMA_REGISTRY_URL, kafka.schemaRegistryUrl());
        props.put(WorkerConfig.TOPIC_PREFIX, plan.names().prefix());
        props.put(WorkerConfig.DELAY_TIERS, "100ms,1s");
        props.put(WorkerConfig.WORKER_ID, "api-it-worker");
        worker = new Worker(props);
        worker.use("echo", ctx -> TaskOutcome.result(ctx.payload(Map.class)));
        worker.use("approval", ctx -> ctx.stage() == 0 ? TaskOutcome.suspend("waiting for a human")
                : TaskOutcome.result(Map.of("approvedAtStage", ctx.stage())));
        worker.use("long", ctx -> {
            Thread.sleep(60_000); // runs until cancelled
            return TaskOutcome.done();
        });
        worker.use("fails_until_redriven", ctx -> {
            if (failNext.getOrDefault(ctx.taskId(), true)) {
                failNext.put(ctx.taskId(), false);
                throw new IllegalStateException("broken until an operator redrives it");
            }
            return TaskOutcome.result(Map.of("ok", true));
        });
        worker.start();
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldRunATaskSubmittedAsPlainJson() throws Exception {
        Api.Response created = api.post("/tasks", "{\"name\":\"echo\",\"payload\":{\"hello\":\"world\"},\"tag\":\"json\"}");
        assertEquals(201, created.status(), created.raw());
        String id = created.body().path("id").asText();
        Api.Response done = api.await("/tasks/" + id, WAIT, r -> Api.status(r, "SUCCEEDED"));
        assertEquals("world", done.body().path("result").path("hello").asText());
        assertEquals("json", done.body().path("tag").asText());
        Api.Response events = api.get("/tasks/" + id + "/events");
        assertEquals(200, events.status());
        assertTrue(events.raw().contains("\"CREATED\"") && events.raw().contains("\"SUCCEEDED\""), events.raw());
        Api.Response listed = api.get("/tasks?tag=json&status=SUCCEEDED");
        assertTrue(listed.raw().contains(id), listed.raw());
        Api.Response stats = api.get("/stats?tag=json");
        assertTrue(stats.body().path("byStatus").path("SUCCEEDED").asLong() >= 1, stats.raw());
    }

    @Test
    void shouldListASuspendedTaskAndResumeItToItsNextStage() throws Exception {
        String id = api.post("/tasks", "{\"name\":\"approval\"}").body().path("id").asText();
        api.await("/tasks?status=SUSPENDED", WAIT, r -> r.raw().contains(id));
        Api.Response suspended = api.get("/tasks/" + id);
        assertEquals("waiting for a human", suspended.body().path("suspendReason").asText());
        Api.Response accepted = api.post("/tasks/" + id + "/resume", null);
        assertEquals(202, accepted.status(), accepted.raw());
        Api.Response done = api.await("/tasks/" + id, WAIT, r -> Api.status(r, "SUCCEEDED"));
        assertEquals(1, done.body().path("stage").asInt());
        assertEquals(1, done.body().path("result").path("approvedAtStage").asInt());
    }

    @Test
    void shouldCancelPendingSuspendedAndRunningTasks() throws Exception {
        // Pending: the gpu pool has no worker, so the task waits.
        String pending = api.post("/tasks", "{\"name\":\"echo\",\"capability\":\"gpu\"}").body().path("id").asText();
        api.await("/tasks/" + pending, WAIT, r -> Api.status(r, "PENDING"));
        String suspended = api.post("/tasks", "{\"name\":\"approval\"}").body().path("id").asText();
        api.await("/tasks/" + suspended, WAIT, r -> Api.status(r, "SUSPENDED"));
        String running = api.post("/tasks", "{\"name\":\"long\"}").body().path("id").asText();
        api.await("/tasks/" + running, WAIT, r -> Api.status(r, "RUNNING"));
        for (String id : new String[] {pending, suspended, running}) {
            assertEquals(202, api.post("/tasks/" + id + "/cancel", null).status());
        }
        for (String id : new String[] {pending, suspended, running}) {
            api.await("/tasks/" + id, WAIT, r -> Api.status(r, "CANCELLED"));
        }
        // The running task's worker was interrupted and moved on: its slot is free again.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (worker.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling with a deadline
        }
        assertEquals(0, worker.inFlight());
    }

    @Test
    void shouldRedriveADeadLetteredTaskThatThenSucceeds() throws Exception {
        String id = api.post("/tasks", "{\"name\":\"fails_until_redriven\",\"maxAttempts\":1}").body().path("id").asText();
        api.await("/tasks/" + id, WAIT, r -> Api.status(r, "PERMANENTLY_FAILED"));
        assertEquals(202, api.post("/tasks/" + id + "/redrive", null).status());
        Api.Response done = api.await("/tasks/" + id, WAIT, r -> Api.status(r, "SUCCEEDED"));
        assertEquals(1, done.body().path("attempt").asInt(), "a fresh attempt budget");
    }

    @Test
    void shouldTrackATaskNoWorkerCanRunThroughEveryRetryToItsDeadLetter() throws Exception {
        // No worker has this handler: each attempt is sent back through the delay tiers without a
        // STARTED, so the state goes RETRY_SCHEDULED -> RETRY_SCHEDULED (row 27) before it fails.
        String id = api.post("/tasks", "{\"name\":\"nobody-has-this\",\"maxAttempts\":3}").body().path("id").asText();
        Api.Response failed = api.await("/tasks/" + id, WAIT, r -> Api.status(r, "PERMANENTLY_FAILED"));
        assertEquals(3, failed.body().path("attempt").asInt(), failed.raw());
        assertEquals("NO_HANDLER", failed.body().path("error").path("type").asText(), failed.raw());
        Api.Response events = api.await("/tasks/" + id + "/events", WAIT, r -> r.raw().contains("DEAD_LETTERED"));
        List<String> types = new java.util.ArrayList<>();
        events.body().forEach(e -> types.add(e.path("type").asText()));
        assertEquals(List.of("CREATED", "RETRY_SCHEDULED", "RETRY_SCHEDULED", "PERMANENTLY_FAILED", "DEAD_LETTERED"),
                types, events.raw());
    }

    @Test
    void shouldAnswerInvalidCommandsWithTheirReason(KafkaEndpoints kafka) throws Exception {
        String id = api.post("/tasks", "{\"name\":\"echo\"}").body().path("id").asText();
        api.await("/tasks/" + id, WAIT, r -> Api.status(r, "SUCCEEDED"));
        // Through the API: refused at once with the reason, and nothing is written.
        Api.Response refused = api.post("/tasks/" + id + "/resume", null);
        assertEquals(409, refused.status(), refused.raw());
        assertTrue(refused.raw().contains("resume needs SUSPENDED"), refused.raw());
        assertEquals("SUCCEEDED", refused.body().path("status").asText());
        Api.Response unknownTask = api.post("/tasks/no-such-task/cancel", null);
        assertEquals(404, unknownTask.status(), unknownTask.raw());
        assertTrue(unknownTask.raw().contains("not known"), unknownTask.raw());
        Api.Response unknown = api.post("/tasks/" + id + "/pause", null);
        assertEquals(400, unknown.status());
        assertTrue(unknown.raw().contains("resume, cancel or redrive"), unknown.raw());
        // Written straight to task-commands (no early check): the topology rejects it and records why.
        try (io.fibflow.api.client.TaskClient client = io.fibflow.api.client.TaskClient.builder()
                .bootstrapServers(kafka.bootstrapServers()).schemaRegistryUrl(kafka.schemaRegistryUrl())
                .topicPlan(plan).build()) {
            String commandId = client.resume(id);
            Api.Response events = api.await("/tasks/" + id + "/events", WAIT, r -> r.raw().contains("REJECTED"));
            assertTrue(events.raw().contains(commandId), events.raw());
            assertTrue(events.raw().contains("resume needs SUSPENDED"), events.raw());
        }
        assertEquals("SUCCEEDED", api.get("/tasks/" + id).body().path("status").asText());
        assertEquals(1, api.get("/tasks/" + id + "/events").body().findValues("commandId").stream()
                .filter(n -> !n.isNull()).count(), "the refused API command wrote nothing");
    }

    @Test
    void shouldAnswerBadInputWith400NamingTheField() {
        Api.Response malformed = api.post("/tasks", "{\"name\": ");
        assertEquals(400, malformed.status());
        assertTrue(malformed.body().path("error").asText().contains("malformed JSON"), malformed.raw());
        Api.Response noName = api.post("/tasks", "{\"payload\":{}}");
        assertEquals(400, noName.status());
        assertEquals("name", noName.body().path("field").asText());
        Api.Response badCapability = api.post("/tasks", "{\"name\":\"echo\",\"capability\":\"tpu\"}");
        assertEquals(400, badCapability.status());
        assertEquals("capability", badCapability.body().path("field").asText());
        Api.Response badStatus = api.get("/tasks?status=DONE");
        assertEquals(400, badStatus.status());
        assertEquals("status", badStatus.body().path("field").asText());
        assertTrue(badStatus.raw().contains("SUSPENDED"), "the message lists the valid values: " + badStatus.raw());
        Api.Response negative = api.get("/tasks?limit=-5");
        assertEquals(400, negative.status());
        assertEquals("limit", negative.body().path("field").asText());
        assertEquals(400, api.get("/tasks?limit=ten").status());
        assertEquals(404, api.get("/tasks/no-such-task").status());
        Api.Response noChildren = api.get("/tasks/no-such-task/children");
        assertEquals(404, noChildren.status(), noChildren.raw());
    }

    @Test
    void shouldReadStateThroughTaskClient(KafkaEndpoints kafka) throws Exception {
        try (io.fibflow.api.client.TaskClient client = io.fibflow.api.client.TaskClient.builder()
                .bootstrapServers(kafka.bootstrapServers()).schemaRegistryUrl(kafka.schemaRegistryUrl())
                .topicPlan(plan).apiUrl(server.url()).build()) {
            String id = client.submit(io.fibflow.api.client.TaskSpec.builder("echo").payload(Map.of("x", 1)).tag("via-client").build());
            io.fibflow.api.client.TaskView done = client.awaitTerminal(id, WAIT);
            assertEquals("SUCCEEDED", done.status());
            assertEquals(1, done.result().path("x").asInt());
            assertTrue(client.list("SUCCEEDED", "echo", "via-client", 10).stream().anyMatch(t -> t.id().equals(id)));
            assertTrue(client.get("no-such-task").isEmpty());
            // With an API, commands get the topology's verdict at once.
            io.fibflow.api.client.CommandRefusedException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    io.fibflow.api.client.CommandRefusedException.class, () -> client.resume(id));
            assertEquals(409, refused.httpStatus());
            assertTrue(refused.getMessage().contains("resume needs SUSPENDED"), refused.getMessage());
            assertEquals(404, org.junit.jupiter.api.Assertions.assertThrows(io.fibflow.api.client.CommandRefusedException.class,
                    () -> client.cancel("no-such-task")).httpStatus());
            String approval = client.submit(io.fibflow.api.client.TaskSpec.builder("approval").build());
            api.await("/tasks/" + approval, WAIT, r -> Api.status(r, "SUSPENDED"));
            assertTrue(!client.resume(approval, Map.of("approved", true)).isBlank());
            assertEquals("SUCCEEDED", client.awaitTerminal(approval, WAIT).status());
        }
    }

    @Test
    void shouldPageThroughEveryTaskWithTheCursorInIdOrder(KafkaEndpoints kafka) throws Exception {
        // Tasks spread over the 3 event partitions: a page must be the first ids over all of them.
        String tag = "paged-" + UUID.randomUUID().toString().substring(0, 8);
        java.util.Set<String> submitted = new java.util.TreeSet<>();
        for (int i = 0; i < 30; i++) {
            submitted.add(api.post("/tasks", "{\"name\":\"echo\",\"tag\":\"" + tag + "\"}").body().path("id").asText());
        }
        api.await("/stats?tag=" + tag, WAIT, r -> r.body().path("byStatus").path("SUCCEEDED").asLong() == 30);
        assertEquals(List.copyOf(submitted), pageThrough("/tasks?tag=" + tag + "&limit=4"), "by the tag index");
        assertEquals(List.copyOf(submitted), pageThrough("/tasks?tag=" + tag + "&status=SUCCEEDED&limit=7"),
                "by the status index, filtered by tag");
        List<String> everything = pageThrough("/tasks?limit=9");
        assertTrue(everything.containsAll(submitted), "every task, without an index: " + everything);
        try (io.fibflow.api.client.TaskClient client = io.fibflow.api.client.TaskClient.builder()
                .bootstrapServers(kafka.bootstrapServers()).schemaRegistryUrl(kafka.schemaRegistryUrl())
                .topicPlan(plan).apiUrl(server.url()).build()) {
            List<String> viaClient = new java.util.ArrayList<>();
            io.fibflow.api.client.TaskPage page = client.list(null, null, tag, 5, null);
            viaClient.addAll(page.tasks().stream().map(io.fibflow.api.client.TaskView::id).toList());
            while (page.nextCursor() != null) {
                page = client.list(null, null, tag, 5, page.nextCursor());
                viaClient.addAll(page.tasks().stream().map(io.fibflow.api.client.TaskView::id).toList());
            }
            assertEquals(List.copyOf(submitted), viaClient, "TaskClient pages with the cursor too");
        }
    }

    /** Follows nextCursor to the end; checks that ids only ever grow (no page repeats or skips back). */
    private static List<String> pageThrough(String first) {
        List<String> ids = new java.util.ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get(first + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.raw());
            for (com.fasterxml.jackson.databind.JsonNode t : page.body().path("tasks")) {
                String id = t.path("id").asText();
                assertTrue(ids.isEmpty() || ids.get(ids.size() - 1).compareTo(id) < 0, "ids ascend: " + ids + " then " + id);
                ids.add(id);
            }
            cursor = page.body().path("nextCursor").asText(null);
        } while (cursor != null);
        return ids;
    }

    @Test
    void shouldShowLiveWorkersAndPoolLag() throws Exception {
        Api.Response workers = api.await("/workers", WAIT, r -> r.status() == 200 && r.raw().contains("api-it-worker"));
        assertTrue(workers.raw().contains("\"alive\""), workers.raw());
        assertTrue(workers.body().path("lag").has("default"), workers.raw());
    }

    @Test
    void shouldShowAWorkerWhoseHeartbeatsStoppedAsGone(KafkaEndpoints kafka) throws Exception {
        // What a worker killed an hour ago leaves behind: its last heartbeat, never tombstoned.
        java.time.Instant hourAgo = java.time.Instant.now().minus(Duration.ofHours(1));
        io.fibflow.avro.WorkerStatus last = io.fibflow.avro.WorkerStatus.newBuilder().setWorkerId("killed-worker")
                .setCapabilities(List.of("default")).setStartedAt(hourAgo.minusSeconds(60)).setHeartbeatAt(hourAgo).build();
        try (var registry = new io.fibflow.api.registry.RestSchemaRegistryClient(
                        io.fibflow.api.registry.SchemaRegistryConfig.builder().url(kafka.schemaRegistryUrl()).build());
                var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, io.fibflow.avro.WorkerStatus>(
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new io.fibflow.api.serde.AvroSerializer<io.fibflow.avro.WorkerStatus>(registry))) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(plan.names().workers(), "killed-worker", last))
                    .get(30, TimeUnit.SECONDS);
        }
        Api.Response workers = api.await("/workers", WAIT, r -> r.raw().contains("killed-worker"));
        for (com.fasterxml.jackson.databind.JsonNode w : workers.body().path("workers")) {
            String expected = w.path("workerId").asText().equals("killed-worker") ? "gone" : "alive";
            assertEquals(expected, w.path("state").asText(), workers.raw());
        }
    }
}
