package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.fibflow.deploy.CliProcess.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end: {@code dev} in the background, then submit --wait, get, list, watch, resume and cancel. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CliIT {

    @Test
    void shouldDriveTheDevStackFromTheCommandLine(@TempDir Path dir) throws Exception {
        int kafka = DemoIT.freePort();
        int registry = DemoIT.freePort();
        int http = DemoIT.freePort();
        AtomicInteger devExit = new AtomicInteger(-1);
        Thread dev = new Thread(() -> devExit.set(FibflowCommand.run("dev", "--data-dir", dir.toString(),
                "--kafka-port", Integer.toString(kafka), "--registry-port", Integer.toString(registry),
                "--http-port", Integer.toString(http))), "cli-dev");
        dev.start();
        String[] cluster = {"--bootstrap-servers", "127.0.0.1:" + kafka, "--schema-registry-url",
                "http://127.0.0.1:" + registry, "--api-url", "http://127.0.0.1:" + http + "/api/v1"};
        Api api = new Api("http://127.0.0.1:" + http + "/api/v1");
        try {
            api.await("/health", Duration.ofSeconds(90), r -> r.status() == 200); // the dev stack is up
            Run submitted = cli(cluster, "submit", "data_processing", "--payload", "{\"data\":[\" A \",\"b\"]}",
                    "--tag", "cli", "--wait");
            assertEquals(0, submitted.exit(), submitted.out());
            String id = submitted.out().lines().findFirst().orElseThrow().trim();
            assertTrue(submitted.out().contains("SUCCEEDED") && submitted.out().contains("\"a\""), submitted.out());

            Run got = cli(cluster, "get", id);
            assertEquals(0, got.exit());
            assertTrue(got.out().contains("\"status\" : \"SUCCEEDED\""), got.out());

            Run listed = cli(cluster, "list", "--tag", "cli");
            assertEquals(0, listed.exit());
            assertTrue(listed.out().contains(id), listed.out());
            assertEquals(1, cli(cluster, "list", "--status", "DONE").exit(), "a bad status is refused");

            // Routed to another pool and delayed: it starts on that pool, no earlier than the delay.
            Run delayed = cli(cluster, "submit", "data_processing", "--payload", "{\"data\":[\"x\"]}",
                    "--capability", "high-memory", "--delay", "2s", "--tag", "cli delayed", "--wait");
            assertEquals(0, delayed.exit(), delayed.out());
            String delayedId = delayed.out().lines().findFirst().orElseThrow().trim();
            JsonNode created = api.firstEvent(delayedId, "CREATED");
            JsonNode started = api.firstEvent(delayedId, "STARTED");
            assertEquals("dev-high-memory", started.path("workerId").asText(), started.toString());
            assertTrue(Duration.between(Instant.parse(created.path("time").asText()),
                    Instant.parse(started.path("time").asText())).toMillis() >= 2_000, created + " -> " + started);
            // Filters narrow the list: by name and status, and by a tag with a space in it.
            Run byName = cli(cluster, "list", "--name", "data_processing", "--status", "SUCCEEDED");
            assertEquals(0, byName.exit(), byName.out());
            assertTrue(byName.out().contains(id) && byName.out().contains(delayedId), byName.out());
            Run byTag = cli(cluster, "list", "--tag", "cli delayed");
            assertEquals(0, byTag.exit(), byTag.out());
            assertTrue(byTag.out().contains(delayedId) && !byTag.out().contains(id), byTag.out());
            assertFalse(cli(cluster, "list", "--name", "no_such_handler").out().contains(id));

            String approval = cli(cluster, "submit", "request_approval", "--payload", "{\"subject\":\"cli\"}").out().trim();
            api.await("/tasks/" + approval, Duration.ofSeconds(60), r -> Api.status(r, "SUSPENDED"));
            AtomicInteger watchExit = new AtomicInteger(-1);
            ByteArrayOutputStream watched = new ByteArrayOutputStream();
            Thread watcher = new Thread(() -> watchExit.set(cliTo(watched, cluster, "watch", approval, "--timeout", "60s")));
            watcher.start();
            // Resume only once the watcher has shown the suspension (its JVM takes a moment to start).
            long shown = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!watched.toString(StandardCharsets.UTF_8).contains("SUSPENDED")) {
                assertTrue(System.nanoTime() < shown, "watch never showed SUSPENDED: " + watched);
                Thread.sleep(50); // polling the watcher's output, with a deadline
            }
            Run resumed = cli(cluster, "resume", approval);
            assertEquals(0, resumed.exit(), resumed.out());
            watcher.join(60_000);
            assertEquals(0, watchExit.get(), watched.toString(StandardCharsets.UTF_8));
            String watchOut = watched.toString(StandardCharsets.UTF_8);
            assertTrue(watchOut.contains("SUSPENDED") && watchOut.contains("SUCCEEDED"), watchOut);

            String waiting = cli(cluster, "submit", "request_approval", "--payload", "{\"subject\":\"never\"}").out().trim();
            api.await("/tasks/" + waiting, Duration.ofSeconds(60), r -> Api.status(r, "SUSPENDED"));
            assertEquals(0, cli(cluster, "cancel", waiting).exit());
            api.await("/tasks/" + waiting, Duration.ofSeconds(60), r -> Api.status(r, "CANCELLED"));
            assertEquals(1, cli(cluster, "resume", id).exit(), "resuming a finished task is refused (409)");

            // A workflow followed from its root: the tree's counts are shown until it ends.
            String dataset = cli(cluster, "submit", "process_dataset", "--payload",
                    "{\"dataset_id\":\"cli\",\"chunk_size\":2,\"rows\":[1,2,3,4,5,6]}").out().trim();
            Run watchedTree = cli(cluster, "watch", dataset, "--timeout", "60s");
            assertEquals(0, watchedTree.exit(), watchedTree.out());
            assertTrue(watchedTree.out().contains("workflow {"), watchedTree.out());

            // The demo against a running cluster, as `fibflow demo` with the cluster's addresses.
            Run demo = cli(cluster, "demo", "--timeout", "90s");
            assertEquals(0, demo.exit(), demo.out());
            assertTrue(demo.out().contains("demo succeeded") && demo.out().contains("dev-gpu"), demo.out());

            // No GPU on the default pool: train_model fails for good, is dead-lettered, and a redrive re-runs it.
            Run failed = cli(cluster, "submit", "train_model", "--payload", "{\"x\":[1,2],\"y\":[2,4]}", "--wait");
            assertEquals(1, failed.exit(), failed.out());
            String failedId = failed.out().lines().findFirst().orElseThrow().trim();
            assertTrue(failed.out().contains("PERMANENTLY_FAILED"), failed.out());
            Api.Response dead = api.await("/tasks/" + failedId + "/events", Duration.ofSeconds(60),
                    r -> r.raw().contains("DEAD_LETTERED"));
            Run letters = cli(cluster, "dead-letters");
            assertEquals(0, letters.exit());
            assertTrue(letters.out().contains(failedId), letters.out());
            assertEquals(0, cli(cluster, "redrive", failedId).exit(), dead.raw());
            api.await("/tasks/" + failedId + "/events", Duration.ofSeconds(60), r -> r.raw().contains("RECOVERED"));
        } finally {
            dev.interrupt(); // like Ctrl-C: the stack closes
            dev.join(60_000);
        }
        assertEquals(0, devExit.get());
    }

    private static Run cli(String[] cluster, String... args) {
        return CliProcess.run(cluster, args);
    }

    private static int cliTo(ByteArrayOutputStream out, String[] cluster, String... args) {
        return CliProcess.runTo(out, cluster, args);
    }
}
