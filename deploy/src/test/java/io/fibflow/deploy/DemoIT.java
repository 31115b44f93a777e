package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fibflow.api.client.TaskClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo of {@code fibflow dev --demo}, headless: every task's final state and pool. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DemoIT {

    @Test
    void shouldRunEveryDemoTaskToSuccessOnItsPool(@TempDir Path dir) throws Exception {
        try (DevStack stack = new DevStack(dir, freePort(), freePort(), freePort());
                TaskClient client = TaskClient.builder().bootstrapServers(stack.broker.bootstrapServers())
                        .schemaRegistryUrl(stack.registry.url()).apiUrl(stack.apiUrl()).topicPlan(stack.plan).build()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<Demo.Row> rows = new Demo(client, stack.apiUrl(), new PrintStream(out, true, StandardCharsets.UTF_8))
                    .run(Duration.ofSeconds(90));
            Map<String, Demo.Row> byTask = rows.stream().collect(Collectors.toMap(Demo.Row::task, r -> r));
            String printed = out.toString(StandardCharsets.UTF_8);
            for (Demo.Row r : rows) {
                assertEquals("SUCCEEDED", r.state(), r + "\n" + printed);
            }
            assertEquals("default", byTask.get("process_dataset").pool());
            assertEquals("gpu", byTask.get("train_model").pool());
            assertEquals("dev-gpu", byTask.get("train_model").worker());
            assertEquals("high-memory", byTask.get("memory_task").pool());
            assertEquals("dev-high-memory", byTask.get("memory_task").worker());
            assertEquals(3, byTask.get("flaky").attempts(), "failed twice, then succeeded");
            assertEquals("default", byTask.get("request_approval").pool());
            assertEquals("default", byTask.get("flaky").pool());
            assertEquals(5, rows.size());
            // The workflow's aggregate stage saw all 40 chunks succeed: rows 1..400 sum to 80,200.
            var dataset = client.get(byTask.get("process_dataset").id()).orElseThrow().result();
            assertEquals(40, dataset.path("chunks").asInt(), dataset.toString());
            assertEquals(0, dataset.path("failed_chunks").asInt(), dataset.toString());
            assertEquals(400, dataset.path("rows").asLong(), dataset.toString());
            assertEquals(80_200.0, dataset.path("sum").asDouble(), 1e-9, dataset.toString());
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
