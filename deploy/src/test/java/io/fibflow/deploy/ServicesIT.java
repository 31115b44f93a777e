package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fibflow.deploy.CliProcess.Run;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment from the command line, each service a process of its own as in compose or
 * Kubernetes: {@code topics create}, a {@code topology} instance, and a {@code worker} per pool
 * with the example handlers found through the HandlerProvider SPI; tasks submitted with
 * {@code submit --wait} run on their pool, and a worker stopped with SIGTERM leaves the
 * workers view.
 */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ServicesIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldRunTasksOnWorkerAndTopologyProcessesStartedFromTheCommandLine(KafkaEndpoints kafka, @TempDir Path dir)
            throws Exception {
        String prefix = "svc-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        int http = DemoIT.freePort();
        String apiUrl = "http://127.0.0.1:" + http + "/api/v1";
        String[] cluster = {"--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url",
                kafka.schemaRegistryUrl(), "--api-url", apiUrl, "--topic-prefix", prefix};
        Run topics = CliProcess.run(new String[0], "topics", "create", "--bootstrap-servers=" + kafka.bootstrapServers(),
                "--topic-prefix=" + prefix, "--capabilities=default,high-memory", "--task-partitions=2");
        assertEquals(0, topics.exit(), topics.out());

        List<Process> services = new ArrayList<>();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        try {
            services.add(CliProcess.start(logs.resolve("topology.log"), cluster, "topology", "--http-host", "127.0.0.1",
                    "--http-port", Integer.toString(http), "--state-dir", dir.resolve("state").toString(),
                    "--capabilities", "default,high-memory"));
            Process defaultPool = CliProcess.start(logs.resolve("worker-default.log"), cluster, "worker",
                    "--capabilities", "default", "--worker-id", "svc-default", "--max-concurrency", "4");
            services.add(defaultPool);
            services.add(CliProcess.start(logs.resolve("worker-high-memory.log"), cluster, "worker",
                    "--capabilities", "high-memory", "--worker-id", "svc-high-memory", "--max-concurrency", "2"));
            Api api = new Api(apiUrl);
            try {
                api.await("/health", WAIT, r -> r.status() == 200);
            } catch (AssertionError e) {
                throw new AssertionError("the topology process did not come up" + logsOf(logs), e);
            }

            Run workflow = CliProcess.run(cluster, "submit", "process_dataset", "--payload",
                    "{\"dataset_id\":\"svc\",\"chunk_size\":3,\"rows\":[1,2,3,4,5,6,7,8,9,10]}", "--wait", "--timeout", "60s");
            assertEquals(0, workflow.exit(), workflow.out() + logsOf(logs));
            String workflowId = workflow.out().lines().findFirst().orElseThrow().trim();
            JsonNode dataset = api.get("/tasks/" + workflowId).body();
            assertEquals(4, dataset.path("result").path("chunks").asInt(), dataset.toString());
            assertEquals(55.0, dataset.path("result").path("sum").asDouble(), 1e-9, dataset.toString());
            assertEquals("svc-default", api.firstEvent(workflowId, "STARTED").path("workerId").asText());

            Run memory = CliProcess.run(cluster, "submit", "memory_task", "--capability", "high-memory",
                    "--payload", "{\"required_mb\":16}", "--wait", "--timeout", "60s");
            assertEquals(0, memory.exit(), memory.out() + logsOf(logs));
            assertEquals("svc-high-memory", api.firstEvent(memory.out().lines().findFirst().orElseThrow().trim(), "STARTED")
                    .path("workerId").asText());

            Api.Response both = api.await("/workers", WAIT,
                    r -> r.raw().contains("svc-default") && r.raw().contains("svc-high-memory"));
            // The topics have 2 partitions, not the plan's default 6: lag is read from the topics themselves
            // (an idle pool may show a few records of lag: transaction markers have offsets too).
            assertTrue(both.body().path("lag").path("default").isNumber(), both.raw());
            assertTrue(both.body().path("lag").path("high-memory").isNumber(), both.raw());
            // SIGTERM, as a supervisor sends it (kill(1), as ShutdownIT explains): the shutdown hook drains,
            // commits, leaves the group and tombstones the heartbeat, so the worker leaves the view at once
            // (a killed worker would stay listed, as gone).
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(defaultPool.pid())).start().waitFor());
            assertTrue(defaultPool.waitFor(60, TimeUnit.SECONDS), "the worker stopped on SIGTERM");
            Api.Response left = api.await("/workers", WAIT, r -> r.status() == 200 && !r.raw().contains("svc-default"));
            assertTrue(left.raw().contains("svc-high-memory"), left.raw());
        } finally {
            for (Process p : services) {
                p.destroy();
            }
            for (Process p : services) {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static String logsOf(Path logs) {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path f : files.toList()) {
                List<String> lines = Files.readAllLines(f);
                out.append("\n--- ").append(f.getFileName()).append(" (last 30 lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        } catch (java.io.IOException e) {
            out.append("\n(logs unreadable: ").append(e).append(')');
        }
        return out.toString();
    }
}
