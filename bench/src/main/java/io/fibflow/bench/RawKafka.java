package io.fibflow.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The baseline: the same number of records of the same size as a fibflow task, produced with
 * acks=all and idempotence and consumed by one consumer group member, on the same broker.
 * Timed from the first send to the last record consumed.
 */
final class RawKafka {

    private RawKafka() {
    }

    /** The row's name, which (b) names as its baseline. */
    static final String SCENARIO = "(a) raw Kafka produce+consume";

    static Result run(String bootstrap, int records, int recordBytes) throws Exception {
        String topic = "raw-bench-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        AtomicLong consumed = new AtomicLong();
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "raw-bench",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        long assignDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > assignDeadline) {
                consumer.close();
                throw new IllegalStateException("raw consumer not assigned partitions within 30 s");
            }
            consumer.poll(Duration.ofMillis(50));
        }
        Thread reader = new Thread(() -> {
            try (consumer) {
                while (consumed.get() < records) {
                    consumed.addAndGet(consumer.poll(Duration.ofMillis(10)).count());
                }
                consumer.commitSync();
            }
        }, "raw-consumer");
        byte[] value = new byte[recordBytes];
        long start;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            // Connected and with the topic's metadata before the clock starts, as fibflow's client is
            // after its warm-up: both sides are timed from the first send.
            producer.partitionsFor(topic);
            start = System.nanoTime();
            reader.start();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString(), value));
            }
        }
        reader.join(TimeUnit.MINUTES.toMillis(5));
        long elapsed = System.nanoTime() - start;
        if (consumed.get() < records) {
            // A timed-out join would otherwise report a rate for records never consumed.
            throw new IllegalStateException("raw consumer read only " + consumed.get() + " of " + records + " in 5 min");
        }
        return Result.throughput(SCENARIO, records, elapsed, null,
                recordBytes + "-byte records, acks=all, idempotent, linger 5 ms, one consumer");
    }
}
