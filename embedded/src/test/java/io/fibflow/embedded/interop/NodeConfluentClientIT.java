package io.fibflow.embedded.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fibflow.api.TaskIds;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.serde.AvroSerde;
import io.fibflow.avro.Task;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confluent's own JavaScript Schema Registry client and Avro serde (with kafkajs), driven by
 * {@code interop/node/roundtrip.js}, against the embedded broker and registry: a Task written
 * by Java is read by Node, and a Task written by Node is read by Java.
 */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NodeConfluentClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldExchangeTasksWithConfluentsJavaScriptClient(KafkaEndpoints kafka, @TempDir Path tmp) throws Exception {
        Path script = Interop.nodeDir().resolve("roundtrip.js");
        Interop.requireTool(Files.isDirectory(Interop.nodeDir().resolve("node_modules/@confluentinc/schemaregistry"))
                && Files.isDirectory(Interop.nodeDir().resolve("node_modules/kafkajs")),
                "@confluentinc/schemaregistry and kafkajs (npm)");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String inTopic = "interop-java-to-node-" + suffix;
        String outTopic = "interop-node-to-java-" + suffix;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(inTopic, 1, (short) 1), new NewTopic(outTopic, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }

        Task javaTask = RegistryConformance.task(42);
        try (AvroSerde<Task> serde = new AvroSerde<>(Task.class, client(kafka));
                KafkaProducer<String, Task> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                        new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(inTopic, javaTask.getId(), javaTask)).get(30, TimeUnit.SECONDS);
        }

        Path schemaFile = tmp.resolve("Task.avsc");
        Files.writeString(schemaFile, Task.getClassSchema().toString());
        String nodeTaskId = TaskIds.newTaskId();
        Path output = tmp.resolve("node.out");
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).directory(Interop.nodeDir().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = pb.environment();
        env.put("FIBFLOW_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("FIBFLOW_SCHEMA_REGISTRY_URL", kafka.schemaRegistryUrl());
        env.put("TASK_SCHEMA_FILE", schemaFile.toString());
        env.put("IN_TOPIC", inTopic);
        env.put("OUT_TOPIC", outTopic);
        env.put("OUT_TASK_ID", nodeTaskId);
        env.put("CHECK_SUBJECT", "interop-node-check-" + suffix + "-value");
        int exit = Interop.await(pb.start(), Duration.ofSeconds(120), "node roundtrip.js");
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, exit, "roundtrip.js failed:\n" + out);

        Map<String, JsonNode> steps = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode node = JSON.readTree(line);
                steps.put(node.path("step").asText(), node);
            }
        }
        JsonNode registry = steps.get("registry");
        assertNotNull(registry, out);
        assertEquals(409, registry.path("conflictStatus").asInt(), out);
        JsonNode read = steps.get("read-java");
        assertNotNull(read, out);
        assertEquals(0, read.path("magic").asInt());
        assertEquals(javaTask.getId(), read.path("key").asText());
        assertEquals(javaTask.getId(), read.path("id").asText());
        assertEquals("conformance", read.path("name").asText());
        assertEquals(42, read.path("epoch").asInt());
        assertEquals("{\"i\":42}", read.path("payloadData").asText());
        assertEquals("interop", read.path("tag").asText());

        List<ConsumerRecord<String, Task>> fromNode = new ArrayList<>();
        try (AvroSerde<Task> serde = new AvroSerde<>(Task.class, client(kafka));
                KafkaConsumer<String, Task> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "interop-" + suffix,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                        new StringDeserializer(), serde.deserializer())) {
            consumer.subscribe(List.of(outTopic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (fromNode.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(fromNode::add);
            }
        }
        assertEquals(1, fromNode.size(), "the Task Node wrote");
        Task nodeTask = fromNode.get(0).value();
        assertEquals(nodeTaskId, fromNode.get(0).key());
        assertEquals(nodeTaskId, nodeTask.getId());
        assertEquals("node_task", nodeTask.getName());
        assertEquals(1, nodeTask.getStage());
        assertEquals(2, nodeTask.getAttempt());
        assertEquals(5, nodeTask.getMaxAttempts());
        assertEquals(7L, nodeTask.getEpoch());
        assertEquals(30_000L, nodeTask.getTimeoutMs());
        assertEquals("json/plain", nodeTask.getPayload().getEncoding());
        assertEquals("{\"from\":\"node\"}", StandardCharsets.UTF_8.decode(nodeTask.getPayload().getData()).toString());
        assertEquals(Map.of("lang", "js"), nodeTask.getPayload().getMetadata());
    }

    private static RestSchemaRegistryClient client(KafkaEndpoints kafka) {
        return new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(kafka.schemaRegistryUrl()).build());
    }
}
