package io.fibflow.deploy;

import io.fibflow.api.TaskOutcome;
import io.fibflow.api.client.TaskClient;
import io.fibflow.api.client.TaskSpec;
import io.fibflow.api.client.TaskView;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.worker.Worker;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The README's Java quick start, compiled and run by {@code QuickstartIT} against a dev stack; the
 * README shows the body between the {@code readme:start}/{@code readme:end} markers verbatim
 * ({@code ReadmeTest} checks that).
 */
final class Quickstart {

    private Quickstart() {
    }

    /** Runs against {@code ./fibflow dev}: its broker, registry and API on their default ports. */
    public static void main(String[] args) throws Exception {
        run("127.0.0.1:9092", "http://127.0.0.1:8081", "http://127.0.0.1:8080/api/v1");
    }

    static TaskView run(String kafka, String registry, String api) throws Exception {
        // readme:start
        // A pool of its own, so that the dev stack's workers (which lack "greet") never take these tasks.
        TopicPlan plan = TopicPlan.builder().capabilities("default", "gpu", "high-memory", "quickstart").build();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));         // creates tasks.quickstart
        }
        TaskView done;
        try (Worker worker = new Worker(Map.of("bootstrap.servers", kafka, "schema.registry.url", registry,
                "fibflow.worker.capabilities", "quickstart"));
             TaskClient client = TaskClient.builder().bootstrapServers(kafka).schemaRegistryUrl(registry)
                     .apiUrl(api).topicPlan(plan).build()) {
            worker.use("greet", ctx -> TaskOutcome.result(Map.of("greeting", "hello, " + ctx.payload(Map.class).get("name"))));
            worker.start();
            String id = client.submit(TaskSpec.builder("greet").capability("quickstart")
                    .payload(Map.of("name", "Ada")).build());
            done = client.awaitTerminal(id, Duration.ofSeconds(30));    // state as the topology reports it
        }
        System.out.println(done.status() + " " + done.result());            // SUCCEEDED {"greeting":"hello, Ada"}
        // readme:end
        return done;
    }
}
