package io.fibflow.worker.internals;

import io.fibflow.worker.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Kafka clients as DESIGN §2 and §5 require them: read_committed, earliest, transactional outcomes. */
final class ClientFactory {

    private final WorkerConfig config;

    ClientFactory(WorkerConfig config) {
        this.config = config;
    }

    /** The consumer group of a pool: every worker serving the capability joins it. */
    String groupId(String capability) {
        return config.topicNames().prefix() + "fibflow." + capability;
    }

    KafkaConsumer<String, byte[]> consumer(String capability) {
        return consumer(groupId(capability), "fibflow-" + config.workerId() + "-" + capability);
    }

    /** The delay forwarder's consumer: one group over every delay tier, shared by all worker processes. */
    KafkaConsumer<String, byte[]> delayConsumer() {
        return consumer(config.topicNames().prefix() + "fibflow.delay-forwarder", "fibflow-" + config.workerId() + "-delay");
    }

    /** A group-less reader of the cancellations topic (every worker reads all of it). */
    KafkaConsumer<String, byte[]> cancellationsConsumer() {
        Map<String, Object> props = new HashMap<>(config.kafkaClientProperties());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "fibflow-" + config.workerId() + "-cancellations");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The heartbeat producer: idempotent, not transactional (a status is not an outcome). */
    KafkaProducer<String, byte[]> statusProducer() {
        Map<String, Object> props = new HashMap<>(config.kafkaClientProperties());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fibflow-" + config.workerId() + "-status");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> consumer(String groupId, String clientId) {
        Map<String, Object> props = new HashMap<>(config.kafkaClientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        String protocol = config.getString(WorkerConfig.GROUP_PROTOCOL);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals("classic")) {
            // The 4.4 client rejects these with the consumer protocol: the broker owns them there.
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.getInt(WorkerConfig.SESSION_TIMEOUT_MS));
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, config.getInt(WorkerConfig.HEARTBEAT_INTERVAL_MS));
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A transactional producer, unique per worker instance and capability (fenced through the group). */
    KafkaProducer<String, byte[]> transactionalProducer(String capability) {
        Map<String, Object> props = new HashMap<>(config.kafkaClientProperties());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "fibflow-worker-" + config.workerId() + "-" + capability + "-" + UUID.randomUUID());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fibflow-" + config.workerId() + "-" + capability + "-tx");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, config.getInt(WorkerConfig.TRANSACTION_TIMEOUT_MS));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.getInt(WorkerConfig.MAX_RECORD_BYTES));
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }
}
