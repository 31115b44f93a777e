package io.fibflow.deploy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.fibflow.api.client.TaskClient;
import io.fibflow.api.client.TaskSpec;
import io.fibflow.api.client.TaskView;
import io.fibflow.api.topics.TopicPlan;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The task commands of the CLI: submit, get, list, watch, resume, cancel, redrive. */
final class TaskCommands {

    private TaskCommands() {
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit a task.")
    static final class Submit implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(index = "0", description = "Handler name.")
        String name;

        @Option(names = "--payload", defaultValue = "{}", description = "Payload as JSON (default: {}).")
        String payload;

        @Option(names = "--capability", defaultValue = "default", description = "Worker pool (default: default).")
        String capability;

        @Option(names = "--delay", converter = DurationConverter.class,
                description = "Start no earlier than this, e.g. 10s, 2m.")
        Duration delay;

        @Option(names = "--tag", description = "Tag for grouping and stats.")
        String tag;

        @Option(names = "--max-attempts", description = "Attempts before the task is dead-lettered.")
        Integer maxAttempts;

        @Option(names = "--wait", description = "Wait until the task ends; exit 0 only if it succeeded.")
        boolean await;

        @Option(names = "--timeout", defaultValue = "120s", converter = DurationConverter.class,
                description = "How long --wait waits (default: 120s).")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            JsonNode body;
            try {
                body = HttpApi.JSON.readTree(payload);
            } catch (Exception e) {
                System.err.println("--payload is not JSON: " + e.getMessage());
                return 2;
            }
            TaskSpec.Builder spec = TaskSpec.builder(name).payload(body).capability(capability);
            if (delay != null) {
                spec.delay(delay);
            }
            if (tag != null) {
                spec.tag(tag);
            }
            if (maxAttempts != null) {
                spec.maxAttempts(maxAttempts);
            }
            try (TaskClient client = client(cluster)) {
                String id = client.submit(spec.build());
                System.out.println(id);
                if (!await) {
                    return 0;
                }
                TaskView done = client.awaitTerminal(id, timeout);
                System.out.println(done.status());
                System.out.println(HttpApi.pretty(done.raw()));
                return done.status().equals("SUCCEEDED") ? 0 : 1;
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one task.")
    static final class Get implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(index = "0", description = "Task id.")
        String id;

        @Override
        public Integer call() {
            HttpApi.Reply r = new HttpApi(cluster.apiUrl).get("/tasks/" + id);
            if (!r.ok()) {
                System.err.println(r.error());
                return 1;
            }
            System.out.println(HttpApi.pretty(r.body()));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tasks.")
    static final class List implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--status", description = "PENDING, RUNNING, SUSPENDED, SUCCEEDED, ...")
        String status;

        @Option(names = "--name", description = "Handler name.")
        String name;

        @Option(names = "--tag", description = "Tag.")
        String tag;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: 50).")
        int limit;

        @Override
        public Integer call() {
            StringBuilder q = new StringBuilder("/tasks?limit=" + limit);
            if (status != null) {
                q.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
            }
            if (name != null) {
                q.append("&name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8));
            }
            if (tag != null) {
                q.append("&tag=").append(URLEncoder.encode(tag, StandardCharsets.UTF_8));
            }
            HttpApi.Reply r = new HttpApi(cluster.apiUrl).get(q.toString());
            if (!r.ok()) {
                System.err.println(r.error());
                return 1;
            }
            String format = "%-38s %-18s %-20s %5s %7s %-12s %s%n";
            System.out.printf(format, "id", "name", "status", "stage", "attempt", "pool", "tag");
            for (JsonNode t : r.body().path("tasks")) {
                System.out.printf(format, t.path("id").asText(), t.path("name").asText(), t.path("status").asText(),
                        t.path("stage").asInt(), t.path("attempt").asInt(), t.path("capability").asText(),
                        t.path("tag").asText(""));
            }
            return 0;
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Follow a task (or a workflow from its root) until it ends.")
    static final class Watch implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(index = "0", description = "Task id (a workflow's root id shows the whole tree's counts).")
        String id;

        @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class,
                description = "Give up after this long (default: 10m).")
        Duration timeout;

        @Override
        public Integer call() throws InterruptedException {
            HttpApi api = new HttpApi(cluster.apiUrl);
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "";
            // A task submitted a moment ago may not be recorded yet: wait a little for it to appear.
            long unknownUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                HttpApi.Reply task = api.get("/tasks/" + id);
                if (task.status() == 404 && System.nanoTime() > unknownUntil) {
                    System.err.println("task " + id + " not found");
                    return 1;
                }
                if (task.ok()) {
                    JsonNode t = task.body();
                    HttpApi.Reply wf = api.get("/workflows/" + id);
                    String line = t.path("name").asText() + " " + t.path("status").asText() + " stage "
                            + t.path("stage").asInt() + " attempt " + t.path("attempt").asInt()
                            + (t.path("progress").isObject() ? " progress " + t.path("progress").path("percent").asDouble()
                                    + "% " + t.path("progress").path("text").asText() : "")
                            + (wf.ok() && wf.body().path("tasks").asInt() > 1 ? " | workflow " + wf.body().path("counts") : "");
                    if (!line.equals(last)) {
                        System.out.println(line);
                        last = line;
                    }
                    String s = t.path("status").asText();
                    if (s.equals("SUCCEEDED") || s.equals("CANCELLED") || s.equals("PERMANENTLY_FAILED")) {
                        return s.equals("SUCCEEDED") ? 0 : 1;
                    }
                }
                Thread.sleep(250); // polling the API for the display
            }
            System.err.println("still not finished after " + timeout.toSeconds() + " s");
            return 1;
        }
    }

    /** resume, cancel and redrive: POST /tasks/{id}/{command}. */
    abstract static class Control implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(index = "0", description = "Task id.")
        String id;

        abstract String command();

        @Override
        public Integer call() {
            HttpApi.Reply r = new HttpApi(cluster.apiUrl).post("/tasks/" + id + "/" + command(), null);
            if (!r.ok()) {
                System.err.println(r.error());
                return 1;
            }
            System.out.println(command() + " accepted: command " + r.body().path("commandId").asText()
                    + " (the outcome shows in `fibflow get " + id + "`)");
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a suspended task at its next stage.")
    static final class Resume extends Control {
        @Override
        String command() {
            return "resume";
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a task and its unfinished children.")
    static final class Cancel extends Control {
        @Override
        String command() {
            return "cancel";
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Re-run a permanently failed (dead-lettered) task with a fresh attempt budget.")
    static final class Redrive extends Control {
        @Override
        String command() {
            return "redrive";
        }
    }

    static TaskClient client(ClusterOptions cluster) {
        return TaskClient.builder().bootstrapServers(cluster.bootstrapServers).schemaRegistryUrl(cluster.schemaRegistryUrl)
                .apiUrl(cluster.apiUrl).topicPlan(TopicPlan.builder().prefix(cluster.topicPrefix).build()).build();
    }
}
