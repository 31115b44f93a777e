package io.fibflow.embedded.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.TaskIds;
import io.fibflow.api.registry.CompatibilityLevel;
import io.fibflow.api.registry.IncompatibleSchemaException;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaNotFoundException;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.registry.SchemaVersion;
import io.fibflow.api.serde.AvroSerde;
import io.fibflow.avro.Payload;
import io.fibflow.avro.Task;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What fibflow's registry client and serde need from any Confluent-compatible registry. Each
 * subclass names a registry; the broker is the shared embedded one.
 */
abstract class RegistryConformance {

    private static final Schema PROBE_V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Probe","namespace":"io.fibflow.conformance",
             "fields":[{"name":"a","type":"string"}]}""");
    private static final Schema PROBE_V2 = new Schema.Parser().parse("""
            {"type":"record","name":"Probe","namespace":"io.fibflow.conformance",
             "fields":[{"name":"a","type":"string"},{"name":"b","type":"int","default":0}]}""");
    private static final Schema PROBE_BAD = new Schema.Parser().parse("""
            {"type":"record","name":"Probe","namespace":"io.fibflow.conformance",
             "fields":[{"name":"a","type":"int"}]}""");

    abstract String registryUrl();

    abstract String bootstrapServers();

    SchemaRegistryClient client() {
        return new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(registryUrl())
                .maxAttempts(2).requestTimeout(Duration.ofSeconds(10)).build());
    }

    static String uniqueSubject() {
        return "conformance-" + UUID.randomUUID() + "-value";
    }

    @Test
    void shouldRegisterLookUpAndFetchSchemas() throws Exception {
        String subject = uniqueSubject();
        // Each call through a fresh client, so that the registry answers it, not the client's cache.
        int id;
        try (SchemaRegistryClient client = client()) {
            id = client.register(subject, PROBE_V1);
        }
        try (SchemaRegistryClient client = client()) {
            assertEquals(id, client.register(subject, PROBE_V1), "the same schema keeps its id");
        }
        try (SchemaRegistryClient client = client()) {
            SchemaVersion found = client.lookup(subject, PROBE_V1);
            assertEquals(id, found.id());
            assertEquals(subject, found.subject());
            assertTrue(client.subjects().contains(subject));
            assertEquals(List.of(found.version()), client.versions(subject));
        }
        try (SchemaRegistryClient client = client()) {
            assertEquals(PROBE_V1, client.getById(id));
        }
    }

    @Test
    void shouldCheckCompatibilityAndRefuseAnIncompatibleRegistration() throws Exception {
        String subject = uniqueSubject();
        try (SchemaRegistryClient client = client()) {
            // Apicurio's GET /config answers NONE even while its global BACKWARD rule holds, so
            // the subject's level is set explicitly before compatibility is tested.
            client.setCompatibility(subject, CompatibilityLevel.BACKWARD);
            client.register(subject, PROBE_V1);
            assertTrue(client.testCompatibility(subject, PROBE_V2).compatible(), "a new field with a default");
            assertFalse(client.testCompatibility(subject, PROBE_BAD).compatible(), "string -> int");
            int v2 = client.register(subject, PROBE_V2);
            IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                    () -> client.register(subject, PROBE_BAD));
            assertEquals(409, e.httpStatus());
            assertEquals(v2, client.getLatestVersion(subject).id());
            assertEquals(2, client.versions(subject).size());
        }
    }

    @Test
    void shouldReportAnUnknownSchemaId() throws Exception {
        try (SchemaRegistryClient client = client()) {
            assertThrows(SchemaNotFoundException.class, () -> client.getById(987_654));
        }
    }

    @Test
    void shouldRoundTripTasksThroughKafkaWithTheSerde() throws Exception {
        String topic = "conformance-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<Task> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(task(i));
        }
        try (AvroSerde<Task> serde = new AvroSerde<>(Task.class, client());
                KafkaProducer<String, Task> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                        new StringSerializer(), serde.serializer())) {
            for (Task t : sent) {
                producer.send(new ProducerRecord<>(topic, t.getId(), t)).get(30, TimeUnit.SECONDS);
            }
        }
        List<Task> received = new ArrayList<>();
        try (AvroSerde<Task> serde = new AvroSerde<>(Task.class, client());
                KafkaConsumer<String, Task> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "conformance-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                        new StringDeserializer(), serde.deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
            }
        }
        assertEquals(sent, received);
    }

    static Task task(int i) {
        return Task.newBuilder()
                .setId(TaskIds.newTaskId())
                .setName("conformance")
                .setCapability("default")
                .setPayload(new Payload("json/plain",
                        ByteBuffer.wrap(("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8)), Map.of("k", "v")))
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L + i))
                .setTag("interop")
                .setEpoch(i)
                .build();
    }
}
