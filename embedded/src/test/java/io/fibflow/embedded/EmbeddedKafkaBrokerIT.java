package io.fibflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerIT {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBrokerIT.class);

    @Test
    void shouldDeliverIdempotentAcksAllRecordsToAConsumer(KafkaEndpoints kafka) throws Exception {
        String topic = createTopic(kafka, Map.of());
        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        List<String> values = consume(kafka, topic, "read_uncommitted", 10);
        assertEquals(List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"), values);
    }

    @Test
    void shouldShowOnlyCommittedTransactionsToReadCommittedConsumers(KafkaEndpoints kafka) throws Exception {
        String topic = createTopic(kafka, Map.of());
        try (KafkaProducer<String, String> producer = producer(kafka,
            Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "b", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "c", "aborted-1"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "d", "committed-3"));
            producer.commitTransaction();
        }
        List<String> committed = consume(kafka, topic, "read_committed", 3);
        assertEquals(List.of("committed-1", "committed-2", "committed-3"), committed);
        List<String> everything = consume(kafka, topic, "read_uncommitted", 4);
        assertTrue(everything.contains("aborted-1"), "read_uncommitted sees the aborted record: " + everything);
    }

    @Test
    void shouldKeepCommittedGroupOffsets(KafkaEndpoints kafka) throws Exception {
        String topic = createTopic(kafka, Map.of());
        String group = "group-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Properties props = consumerProps(kafka, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen < 5 && System.nanoTime() < deadline) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertEquals(5, seen);
            consumer.commitSync(Duration.ofSeconds(30));
        }
        try (Admin admin = admin(kafka)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertEquals(5L, offsets.get(new TopicPartition(topic, 0)).offset());
        }
    }

    @Test
    void shouldCreateTopicsWithConfigsButNeverAutomatically(KafkaEndpoints kafka) throws Exception {
        String topic = createTopic(kafka, Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
        try (Admin admin = admin(kafka)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertEquals("compact", config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            assertEquals("LogAppendTime", config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value());

            String missing = "missing-" + UUID.randomUUID();
            try (KafkaProducer<String, String> producer = producer(kafka, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000))) {
                ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(missing, "k", "v")).get(30, TimeUnit.SECONDS));
                assertInstanceOf(TimeoutException.class, failure.getCause(), failure.toString());
            }
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertFalse(names.contains(missing), "auto.create.topics.enable=false must hold: " + names);
            ExecutionException describe = assertThrows(ExecutionException.class,
                () -> admin.describeTopics(List.of(missing)).allTopicNames().get(30, TimeUnit.SECONDS));
            assertInstanceOf(UnknownTopicOrPartitionException.class, describe.getCause());
        }
    }

    @Test
    void shouldKeepRecordsWhenRestartedOnTheSameDataDir(@TempDir Path dataDir) throws Exception {
        String topic = "restart-" + UUID.randomUUID();
        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            log.info("Private broker started in {} ms", broker.startupTime().toMillis());
            clusterId = broker.clusterId();
            KafkaEndpoints endpoints = new KafkaEndpoints(broker.bootstrapServers(), "unused");
            createTopic(endpoints, topic, Map.of());
            try (KafkaProducer<String, String> producer = producer(endpoints, Map.of())) {
                producer.send(new ProducerRecord<>(topic, "k", "before-restart")).get(30, TimeUnit.SECONDS);
            }
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            log.info("Private broker restarted in {} ms", broker.startupTime().toMillis());
            assertEquals(clusterId, broker.clusterId());
            KafkaEndpoints endpoints = new KafkaEndpoints(broker.bootstrapServers(), "unused");
            assertEquals(List.of("before-restart"), consume(endpoints, topic, "read_committed", 1));
        }
    }

    private static String createTopic(KafkaEndpoints kafka, Map<String, String> configs) throws Exception {
        String topic = "topic-" + UUID.randomUUID();
        createTopic(kafka, topic, configs);
        return topic;
    }

    private static void createTopic(KafkaEndpoints kafka, String topic, Map<String, String> configs) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs)))
                .all().get(30, TimeUnit.SECONDS);
        }
    }

    static Admin admin(KafkaEndpoints kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(KafkaEndpoints kafka, Map<String, Object> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putAll(extra);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static Properties consumerProps(KafkaEndpoints kafka, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return props;
    }

    /**
     * Reads partition 0 from the start until the end offset (the last stable offset for
     * read_committed) is reached, then checks the expected count.
     */
    private static List<String> consume(KafkaEndpoints kafka, String topic, String isolation, int expected) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(kafka, isolation))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        assertEquals(expected, values.size(), () -> "records read: " + values);
        return values;
    }
}
