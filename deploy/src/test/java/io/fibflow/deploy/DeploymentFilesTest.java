package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fibflow.api.topics.TopicPlan;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The compose and Kubernetes files parse, every fibflow service is runnable as written, and the
 * start-up order, peer addressing and topic plan the manifests rely on hold.
 */
class DeploymentFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DEPLOY = Path.of(System.getProperty("user.dir"));

    @Test
    void shouldGiveEveryComposeServiceAnImageACommandAndItsSettings() throws Exception {
        JsonNode services = YAML.readTree(DEPLOY.resolve("compose/docker-compose.yml").toFile()).path("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertTrue(names.containsAll(List.of("kafka", "schema-registry", "topics", "topology", "worker-default",
                "worker-gpu", "worker-high-memory")), names.toString());
        for (String name : names) {
            JsonNode s = services.get(name);
            assertFalse(s.path("image").asText().isBlank(), name + " names an image");
            assertTrue(s.path("command").isArray() && s.path("command").size() > 0, name + " has a command");
            if (s.path("image").asText().startsWith("fibflow:")) {
                assertParses(name, strings(s.path("command")));
            }
        }
        for (String pool : DevStack.POOLS) {
            assertTrue(strings(services.path("worker-" + pool).path("command")).contains("--capabilities=" + pool),
                    "worker-" + pool + " serves its own pool");
        }
        assertEquals("nvidia", services.path("worker-gpu").path("deploy").path("resources").path("reservations")
                .path("devices").get(0).path("driver").asText(), "the GPU worker reserves an NVIDIA device");
    }

    @Test
    void shouldStartComposeServicesOnlyAfterTheTopicsExistAndTheBrokerAndRegistryAreHealthy() throws Exception {
        JsonNode services = YAML.readTree(DEPLOY.resolve("compose/docker-compose.yml").toFile()).path("services");
        assertTrue(services.path("kafka").path("healthcheck").path("test").size() > 0, "kafka has a healthcheck");
        assertTrue(services.path("schema-registry").path("healthcheck").path("test").size() > 0,
                "the registry has a healthcheck");
        List<String> needTopics = new ArrayList<>();
        services.fields().forEachRemaining(e -> {
            JsonNode dependsOn = e.getValue().path("depends_on");
            if (dependsOn.isMissingNode()) {
                return;
            }
            assertTrue(dependsOn.isObject(), e.getKey() + ": depends_on names a condition for each service");
            dependsOn.fields().forEachRemaining(d -> {
                String condition = d.getValue().path("condition").asText();
                if (d.getKey().equals("topics")) {
                    needTopics.add(e.getKey());
                    assertEquals("service_completed_successfully", condition,
                            e.getKey() + " waits for topics to exit 0");
                } else if (services.path(d.getKey()).has("healthcheck")) {
                    assertEquals("service_healthy", condition, e.getKey() + " waits for a healthy " + d.getKey());
                }
            });
        });
        assertEquals(List.of("topology", "worker-default", "worker-gpu", "worker-high-memory"),
                needTopics.stream().sorted().toList());
        assertEquals("unless-stopped", services.path("topology").path("restart").asText());
        // A restarting one-shot container would race compose's "completed successfully" check.
        assertTrue(services.path("topics").path("restart").isMissingNode(), "topics runs once");
        assertEquals(eventPartitions(strings(services.path("topics").path("command"))),
                eventPartitions(strings(services.path("topology").path("command"))),
                "the topology checks task-events' partitions against its own setting");
    }

    @Test
    void shouldGiveEveryKubernetesWorkloadAnImageACommandAndItsSettings() throws Exception {
        Map<String, JsonNode> byName = kubernetesObjects();
        List<String> workloads = byName.keySet().stream().filter(k -> k.startsWith("Deployment/")
                || k.startsWith("StatefulSet/") || k.startsWith("Job/")).sorted().toList();
        assertEquals(List.of("Deployment/fibflow-worker-default", "Deployment/fibflow-worker-gpu",
                "Deployment/fibflow-worker-high-memory", "Job/fibflow-topics", "StatefulSet/fibflow-topology"), workloads);
        for (String w : workloads) {
            JsonNode container = byName.get(w).path("spec").path("template").path("spec").path("containers").get(0);
            assertFalse(container.path("image").asText().isBlank(), w + " names an image");
            assertTrue(container.path("command").size() > 0, w + " has a command");
            assertParses(w, strings(container.path("args")));
        }
        JsonNode gpu = byName.get("Deployment/fibflow-worker-gpu").path("spec").path("template").path("spec");
        assertEquals(1, gpu.path("containers").get(0).path("resources").path("limits").path("nvidia.com/gpu").asInt());
        assertTrue(gpu.path("tolerations").size() > 0 && gpu.path("nodeSelector").size() > 0);
        assertEquals("fibflow-topology", byName.get("StatefulSet/fibflow-topology").path("spec").path("serviceName").asText(),
                "stable host names for application.server");
        List<String> topicsArgs = strings(byName.get("Job/fibflow-topics").path("spec").path("template").path("spec")
                .path("containers").get(0).path("args"));
        TopicPlan plan = topicPlan(topicsArgs);
        for (String pool : DevStack.POOLS) {
            List<String> workerArgs = strings(byName.get("Deployment/fibflow-worker-" + pool).path("spec")
                    .path("template").path("spec").path("containers").get(0).path("args"));
            assertTrue(workerArgs.contains("--capabilities=" + pool), "fibflow-worker-" + pool + " serves its own pool");
            JsonNode scaler = byName.get("ScaledObject/fibflow-worker-" + pool);
            assertTrue(scaler != null, "an autoscaler for " + pool);
            assertTrue(plan.hasCapability(pool), "the Job creates tasks." + pool);
            int partitions = plan.capabilities().get(pool);
            assertTrue(scaler.path("spec").path("maxReplicaCount").asInt() <= partitions,
                    pool + "'s autoscaler is capped at its topic's " + partitions + " partitions");
            JsonNode trigger = scaler.path("spec").path("triggers").get(0).path("metadata");
            assertEquals("fibflow." + pool, trigger.path("consumerGroup").asText());
            assertEquals(plan.names().tasks(pool), trigger.path("topic").asText());
        }
        assertEquals(plan.eventPartitions(), eventPartitions(strings(byName.get("StatefulSet/fibflow-topology")
                .path("spec").path("template").path("spec").path("containers").get(0).path("args"))),
                "the topology checks task-events' partitions against its own setting");
        assertTrue(byName.containsKey("ConfigMap/fibflow"));
    }

    @Test
    void shouldMakeEveryKubernetesWorkloadWaitForTheTopicPlan() throws Exception {
        Map<String, JsonNode> byName = kubernetesObjects();
        JsonNode job = byName.get("Job/fibflow-topics").path("spec").path("template").path("spec")
                .path("containers").get(0);
        for (String w : List.of("Deployment/fibflow-worker-default", "Deployment/fibflow-worker-gpu",
                "Deployment/fibflow-worker-high-memory", "StatefulSet/fibflow-topology")) {
            JsonNode init = byName.get(w).path("spec").path("template").path("spec").path("initContainers");
            assertEquals(1, init.size(), w + " has one init container");
            assertEquals(job.path("image"), init.get(0).path("image"), w);
            assertEquals(job.path("command"), init.get(0).path("command"), w);
            assertEquals(job.path("args"), init.get(0).path("args"), w + " ensures the same plan as the Job");
            assertEquals(job.path("envFrom"), init.get(0).path("envFrom"), w + " expands $(FIBFLOW_BOOTSTRAP_SERVERS)");
            assertParses(w + " init", strings(init.get(0).path("args")));
        }
    }

    @Test
    void shouldKeepTopologyPeersAddressableAndTheApiUrlNamespaceFree() throws Exception {
        Map<String, JsonNode> byName = kubernetesObjects();
        JsonNode headless = byName.get("Service/fibflow-topology").path("spec");
        assertEquals("None", headless.path("clusterIP").asText(), "a headless Service governs the StatefulSet");
        assertTrue(headless.path("publishNotReadyAddresses").asBoolean(),
                "peers forward to <pod>.fibflow-topology while its readiness probe answers 503 in a rebalance");
        List<String> args = strings(byName.get("StatefulSet/fibflow-topology").path("spec").path("template")
                .path("spec").path("containers").get(0).path("args"));
        assertTrue(args.contains("--advertised-host=$(POD_NAME).fibflow-topology"), args.toString());

        URI api = URI.create(byName.get("ConfigMap/fibflow").path("data").path("FIBFLOW_API_URL").asText());
        assertFalse(api.getHost().contains("."), "a short Service name resolves in any namespace: " + api);
        JsonNode service = byName.get("Service/" + api.getHost());
        assertTrue(service != null, "FIBFLOW_API_URL names a Service of these manifests: " + api);
        assertEquals(byName.get("StatefulSet/fibflow-topology").path("spec").path("selector").path("matchLabels"),
                service.path("spec").path("selector"), api.getHost() + " selects the topology's pods");
        assertEquals(api.getPort(), service.path("spec").path("ports").get(0).path("port").asInt());
    }

    @Test
    void shouldRefuseABadTopicPlanValueNamingItsOption() {
        for (String bad : List.of("--task-partitions=0", "--delay-tiers=soon", "--max-record-bytes=10",
                "--event-partitions=0", "--capabilities=gpu:many", "--topic-prefix=no/slash")) {
            String option = bad.substring(0, bad.indexOf('='));
            CommandLine.ParameterException e = assertThrows(
                    CommandLine.ParameterException.class, () -> topicPlan(List.of("topics", "create", bad)), bad);
            assertTrue(e.getMessage().contains("'" + option + "'"), e.getMessage());
        }
        assertEquals("x.", topicPlan(List.of("topics", "create", "--prefix=x.")).names().prefix(),
                "--prefix is an alias");
        TopicPlan plan = topicPlan(List.of("topics", "create", "--capabilities=default,gpu:2", "--task-partitions=4"));
        assertEquals(Map.of("default", 4, "gpu", 2), plan.capabilities());
    }

    /** The arguments are a valid fibflow command line that names the cluster it needs. */
    private static void assertParses(String where, List<String> args) {
        CommandLine.ParseResult parsed = new CommandLine(new FibflowCommand()).parseArgs(args.toArray(String[]::new));
        assertTrue(parsed.hasSubcommand(), where + ": " + args);
        String joined = String.join(" ", args);
        assertTrue(joined.contains("--bootstrap-servers"), where + " names the Kafka cluster: " + joined);
        if (!joined.startsWith("topics")) {
            assertTrue(joined.contains("--schema-registry-url"), where + " names the registry: " + joined);
        }
    }

    /** The plan that {@code fibflow topics create} builds from these arguments. */
    private static TopicPlan topicPlan(List<String> args) {
        CommandLine.ParseResult parsed = new CommandLine(new FibflowCommand()).parseArgs(args.toArray(String[]::new));
        CommandLine.ParseResult create = parsed.subcommand().subcommand();
        return ((TopicsCommand.Create) create.commandSpec().userObject()).plan();
    }

    /** The value (given or default) of a fibflow command line's --event-partitions. */
    private static int eventPartitions(List<String> args) {
        CommandLine.ParseResult parsed = new CommandLine(new FibflowCommand()).parseArgs(args.toArray(String[]::new));
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return parsed.commandSpec().findOption("--event-partitions").getValue();
    }

    /** Every object of deploy/k8s by kind/name. */
    private static Map<String, JsonNode> kubernetesObjects() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (JsonNode doc : documents(f.toFile())) {
                    byName.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
                }
            }
        }
        return byName;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<JsonNode> documents(File file) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file)) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }
}
