package io.fibflow.deploy;

import io.fibflow.api.TaskIds;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.serde.AvroSerde;
import io.fibflow.avro.Payload;
import io.fibflow.avro.Task;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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

/**
 * The dev stack's self-check: a Task written with the Confluent wire-format serde through the
 * registry, read back transactionally committed, on a throw-away topic (never a task topic, so
 * no worker would run it).
 */
final class DevCheck {

    private final String bootstrapServers;
    private final String registryUrl;

    DevCheck(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
    }

    boolean run() throws Exception {
        String topic = "fibflow-dev-check-" + UUID.randomUUID();
        Task sent = Task.newBuilder().setId(TaskIds.newTaskId()).setName("dev_check").setCapability("default")
                .setPayload(new Payload("json/plain", ByteBuffer.wrap("{\"check\":true}".getBytes(StandardCharsets.UTF_8)),
                        Map.of()))
                .setCreatedAt(Instant.now()).build();
        long started = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                produce(topic, sent);
                Task received = consume(topic);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                boolean ok = sent.equals(received);
                System.out.printf("  check              %s: Task %s through Kafka (transactional, read_committed) "
                        + "and the registry in %d ms%n", ok ? "OK" : "FAILED", sent.getId(), ms);
                Runtime rt = Runtime.getRuntime();
                System.gc();
                System.out.printf("  heap used          %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
                return ok;
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private void produce(String topic, Task task) throws Exception {
        try (AvroSerde<Task> serde = new AvroSerde<>(Task.class, registry());
                KafkaProducer<String, Task> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fibflow-dev-check-" + UUID.randomUUID()),
                        new StringSerializer(), serde.serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, task.getId(), task));
            producer.commitTransaction();
        }
    }

    private Task consume(String topic) {
        try (AvroSerde<Task> serde = new AvroSerde<>(Task.class, registry());
                KafkaConsumer<String, Task> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG, topic,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                        new StringDeserializer(), serde.deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Task> r : consumer.poll(Duration.ofMillis(200))) {
                    return r.value();
                }
            }
            return null;
        }
    }

    private RestSchemaRegistryClient registry() {
        return new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(registryUrl).build());
    }
}
