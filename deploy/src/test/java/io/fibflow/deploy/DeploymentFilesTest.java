package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The compose and Kubernetes files parse, and every fibflow service is runnable as written. */
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
        assertEquals("nvidia", services.path("worker-gpu").path("deploy").path("resources").path("reservations")
                .path("devices").get(0).path("driver").asText(), "the GPU worker reserves an NVIDIA device");
    }

    @Test
    void shouldGiveEveryKubernetesWorkloadAnImageACommandAndItsSettings() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (JsonNode doc : documents(f.toFile())) {
                    byName.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
                }
            }
        }
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
        for (String pool : DevStack.POOLS) {
            JsonNode scaler = byName.get("ScaledObject/fibflow-worker-" + pool);
            assertTrue(scaler != null, "an autoscaler for " + pool);
            assertTrue(scaler.path("spec").path("maxReplicaCount").asInt() <= 6, "capped at the pool's partitions");
            assertEquals("fibflow." + pool, scaler.path("spec").path("triggers").get(0).path("metadata")
                    .path("consumerGroup").asText());
        }
        assertTrue(byName.containsKey("ConfigMap/fibflow"));
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
