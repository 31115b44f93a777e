package io.fibflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fibflow.api.RetryBackoff;
import io.fibflow.api.client.TaskClient;
import io.fibflow.api.client.TaskSpec;
import io.fibflow.api.client.TaskView;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The seed's scenario on a running stack: a dataset split into chunk tasks, a GPU training task
 * on the gpu pool, a memory-heavy task on the high-memory pool, a task that fails twice and then
 * succeeds, and an approval the demo grants. Shows progress while they run and a final table.
 */
final class Demo {

    /** One line of the final table. */
    record Row(String task, String id, String pool, String worker, int attempts, String state, long millis) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskClient client;
    private final String apiUrl;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    Demo(TaskClient client, String apiUrl, PrintStream out) {
        this.client = client;
        this.apiUrl = apiUrl;
        this.out = out;
    }

    /** Runs the demo, prints its verdict, and returns the exit code: 0 when every task succeeded. */
    int runAndReport(Duration timeout) throws Exception {
        List<Row> rows = run(timeout);
        boolean ok = rows.stream().allMatch(r -> r.state().equals("SUCCEEDED"));
        out.println(ok ? "demo succeeded" : "demo FAILED: not every task succeeded");
        return ok ? 0 : 1;
    }

    List<Row> run(Duration timeout) throws Exception {
        long started = System.nanoTime();
        Map<String, String> tasks = new LinkedHashMap<>();
        List<Integer> rows = IntStream.rangeClosed(1, 400).boxed().toList();
        tasks.put("process_dataset", client.submit(TaskSpec.builder("process_dataset")
                .payload(Map.of("dataset_id", "demo-dataset", "chunk_size", 10, "rows", rows)).tag("demo").build()));
        tasks.put("train_model", client.submit(TaskSpec.builder("train_model").capability("gpu").tag("demo")
                .payload(Map.of("x", List.of(0, 1, 2, 3, 4, 5, 6, 7), "y", List.of(1, 3, 5, 7, 9, 11, 13, 15), "epochs", 2000))
                .build()));
        tasks.put("memory_task", client.submit(TaskSpec.builder("memory_task").capability("high-memory").tag("demo")
                .payload(Map.of("required_mb", 64)).build()));
        tasks.put("flaky", client.submit(TaskSpec.builder("flaky").tag("demo").maxAttempts(5)
                .backoff(RetryBackoff.fixed(Duration.ofMillis(200))).build()));
        tasks.put("request_approval", client.submit(TaskSpec.builder("request_approval").tag("demo")
                .payload(Map.of("subject", "release of model v2")).build()));
        out.println("submitted " + tasks.size() + " tasks; the dataset workflow splits into 40 chunk tasks");

        boolean approved = false;
        long deadline = started + timeout.toNanos();
        long lastPrint = 0;
        while (true) {
            Map<String, TaskView> views = new LinkedHashMap<>();
            for (var e : tasks.entrySet()) {
                try {
                    client.get(e.getValue()).ifPresent(v -> views.put(e.getKey(), v));
                } catch (io.fibflow.api.FibflowException notNow) {
                    if (!notNow.isTransient()) {
                        throw notNow;
                    }
                }
            }
            TaskView approval = views.get("request_approval");
            if (!approved && approval != null && approval.status().equals("SUSPENDED")) {
                out.println("approval requested (\"" + approval.raw().path("suspendReason").asText()
                        + "\"): the demo approves it");
                client.resume(approval.id());
                approved = true;
            }
            boolean done = views.size() == tasks.size() && views.values().stream().allMatch(TaskView::isTerminal);
            if (done || System.nanoTime() - lastPrint > 1_000_000_000L) {
                out.println(progress(tasks.get("process_dataset"), views));
                lastPrint = System.nanoTime();
            }
            if (done) {
                break;
            }
            if (System.nanoTime() > deadline) {
                out.println("the demo did not finish within " + timeout);
                break;
            }
            Thread.sleep(200); // polling the API for the display
        }
        List<Row> table = new ArrayList<>();
        for (var e : tasks.entrySet()) {
            TaskView v = client.get(e.getValue()).orElse(null);
            String state = v == null ? "UNKNOWN" : v.status();
            String worker = lastWorker(e.getValue());
            long ms = v == null ? 0 : Duration.between(Instant.parse(v.raw().path("createdAt").asText()),
                    Instant.parse(v.raw().path("updatedAt").asText())).toMillis();
            table.add(new Row(e.getKey(), e.getValue(), v == null ? "?" : v.capability(), worker,
                    v == null ? 0 : v.attempt(), state, ms));
        }
        printTable(table);
        out.printf("demo finished in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return table;
    }

    private String progress(String datasetId, Map<String, TaskView> views) {
        StringBuilder line = new StringBuilder();
        JsonNode wf = get("/workflows/" + datasetId);
        long chunks = wf == null ? 0 : wf.path("tasks").asLong() - 1;
        long chunksDone = wf == null ? 0 : wf.path("counts").path("SUCCEEDED").asLong()
                - (views.containsKey("process_dataset") && views.get("process_dataset").status().equals("SUCCEEDED") ? 1 : 0);
        int width = 20;
        int filled = chunks <= 0 ? 0 : (int) (width * Math.min(1.0, (double) chunksDone / chunks));
        line.append("dataset [").append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ")
                .append(chunksDone).append('/').append(Math.max(chunks, 0)).append(" chunks");
        views.forEach((name, v) -> {
            if (!name.equals("process_dataset")) {
                line.append(" | ").append(name).append(' ').append(v.status());
            }
        });
        return line.toString();
    }

    private String lastWorker(String id) {
        JsonNode events = get("/tasks/" + id + "/events");
        String worker = "-";
        if (events != null) {
            for (JsonNode e : events) {
                String w = e.path("workerId").asText("");
                String type = e.path("type").asText();
                if (!w.isEmpty() && (type.equals("STARTED") || type.equals("SUCCEEDED"))) {
                    worker = w;
                }
            }
        }
        return worker;
    }

    private void printTable(List<Row> rows) {
        String format = "%-18s %-12s %-16s %8s %-20s %10s%n";
        out.println();
        out.printf(format, "task", "pool", "worker", "attempts", "state", "duration");
        for (Row r : rows) {
            out.printf(format, r.task(), r.pool(), r.worker(), r.attempts(), r.state(), r.millis() + " ms");
        }
        out.println();
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiUrl + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
