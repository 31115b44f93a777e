package io.fibflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Raw-Kafka baselines for (d) with the shape of fibflow's path, on the same broker: a request
 * record to one topic, a responder that consumes it and sends a reply to a second topic, and a
 * measuring consumer that stops the clock when it sees the reply; one round trip at a time.
 *
 * <p>{@link Mode#PLAIN} is the floor of any Kafka round trip. {@link Mode#TRANSACTIONAL} commits a
 * transaction on both hops and reads read_committed, as fibflow's submit and outcome do, so it is
 * the floor of what fibflow's (d) can reach and the baseline of its ratio.
 */
final class RawLatency {

    /** The two baselines; {@code scenario} is the row name, without its percentile suffix. */
    enum Mode {
        PLAIN("(d-raw-1) plain round trip",
                "request (acks=all, idempotent, linger 0) -> responder -> reply seen; read_uncommitted"),
        TRANSACTIONAL("(d-raw-2) transactional round trip",
                "request in a committed transaction -> responder sends reply + offsets in a transaction -> reply seen;"
                        + " read_committed on both hops");

        final String scenario;
        final String note;

        Mode(String scenario, String note) {
            this.scenario = scenario;
            this.note = note;
        }
    }

    /** As many untimed round trips as fibflow's warm-up runs tasks: connections, metadata, coordinators, fetch sessions. */
    private static final int WARM_UP = 20;
    /** The partitions of tasks.default and task-events in the bench's plan, so fetches cover as many. */
    private static final int PARTITIONS = 6;
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    /** A poll returns as soon as a fetch response arrives, so this bounds only how often deadlines are checked. */
    private static final Duration POLL = Duration.ofMillis(10);

    private RawLatency() {
    }

    static List<Result> run(String bootstrap, Mode mode, int samples, int recordBytes) throws Exception {
        String run = UUID.randomUUID().toString();
        String requests = "raw-latency-requests-" + run;
        String replies = "raw-latency-replies-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(requests, PARTITIONS, (short) 1),
                    new NewTopic(replies, PARTITIONS, (short) 1))).all().get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        byte[] value = new byte[recordBytes];
        try (Responder responder = new Responder(bootstrap, mode, requests, replies, value, run);
                KafkaProducer<String, byte[]> producer = producer(bootstrap, mode, "raw-latency-requester-" + run);
                KafkaConsumer<String, byte[]> measurer = measurer(bootstrap, mode, replies)) {
            responder.awaitAssignment();
            for (int i = 0; i < WARM_UP; i++) {
                roundTrip(mode, producer, measurer, responder, requests, value);
            }
            long[] micros = new long[samples];
            for (int i = 0; i < samples; i++) {
                micros[i] = roundTrip(mode, producer, measurer, responder, requests, value);
            }
            return Result.percentiles(mode.scenario, micros, null, mode.note + "; " + recordBytes + "-byte records, "
                    + PARTITIONS + " partitions per topic, fetch.max.wait.ms " + Benchmark.FETCH_MAX_WAIT_MS);
        }
    }

    /** One timed round trip, in microseconds: from before the request is sent to the reply seen. */
    private static long roundTrip(Mode mode, KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> measurer,
            Responder responder, String requests, byte[] value) throws Exception {
        String key = UUID.randomUUID().toString();
        long start = System.nanoTime();
        ProducerRecord<String, byte[]> request = new ProducerRecord<>(requests, key, value);
        Future<RecordMetadata> sent;
        if (mode == Mode.TRANSACTIONAL) {
            // Like TaskClient.submit: the call returns once the transaction is committed.
            producer.beginTransaction();
            sent = producer.send(request);
            producer.commitTransaction();
        } else {
            // Not waited for: the reply cannot come before the request is acknowledged anyway.
            sent = producer.send(request);
        }
        long deadline = start + SAMPLE_TIMEOUT.toNanos();
        while (true) {
            for (ConsumerRecord<String, byte[]> reply : measurer.poll(POLL)) {
                if (key.equals(reply.key())) {
                    return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                }
            }
            if (sent.isDone()) {
                sent.get(); // throws if the request failed, rather than waiting out the deadline
            }
            responder.rethrowFailure();
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(mode.scenario + ": no reply to " + key + " within " + SAMPLE_TIMEOUT);
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap, Mode mode, String transactionalId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        if (mode == Mode.TRANSACTIONAL) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        if (mode == Mode.TRANSACTIONAL) {
            producer.initTransactions();
        }
        return producer;
    }

    private static Map<String, Object> consumerProps(String bootstrap, Mode mode) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Benchmark.FETCH_MAX_WAIT_MS);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                mode == Mode.TRANSACTIONAL ? "read_committed" : "read_uncommitted");
        return props;
    }

    /**
     * The reply reader: assigned every partition directly (no group, so nothing to rebalance) and
     * positioned at the end before the first request, so it sees only replies sent after that.
     */
    private static KafkaConsumer<String, byte[]> measurer(String bootstrap, Mode mode, String topic) {
        Map<String, Object> props = consumerProps(bootstrap, mode);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy: resolve every position now so that no offset lookup falls inside a timed round trip.
        partitions.forEach(tp -> consumer.position(tp, SETUP_TIMEOUT));
        return consumer;
    }

    /**
     * The consumer loop between the two hops, on its own thread, which owns its consumer and
     * producer. It joins a group because {@code sendOffsetsToTransaction} needs the group's
     * metadata, and it replies to each poll's records at once, as an idle fibflow worker commits
     * its outcomes at once.
     */
    private static final class Responder implements AutoCloseable {

        private final CountDownLatch assigned = new CountDownLatch(1);
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Throwable failure;

        Responder(String bootstrap, Mode mode, String requests, String replies, byte[] value, String run) {
            thread = new Thread(() -> {
                try {
                    loop(bootstrap, mode, requests, replies, value, run);
                } catch (Throwable t) {
                    failure = t;
                }
            }, "raw-latency-responder");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop(String bootstrap, Mode mode, String requests, String replies, byte[] value, String run) {
            Map<String, Object> props = consumerProps(bootstrap, mode);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "raw-latency-responder-" + run);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // Transactional: offsets go with the reply. Plain: the client's default auto-commit, as a plain consumer has.
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, mode != Mode.TRANSACTIONAL);
            boolean transactional = mode == Mode.TRANSACTIONAL;
            try (KafkaConsumer<String, byte[]> consumer =
                            new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
                    KafkaProducer<String, byte[]> producer = producer(bootstrap, mode, "raw-latency-responder-" + run)) {
                consumer.subscribe(List.of(requests));
                while (running) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    if (!consumer.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                    if (records.isEmpty()) {
                        continue;
                    }
                    if (transactional) {
                        producer.beginTransaction();
                    }
                    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        producer.send(new ProducerRecord<>(replies, r.key(), value), (metadata, e) -> {
                            if (e != null) {
                                failure = e; // surfaces in the measuring thread instead of a silent timeout
                            }
                        });
                        next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    if (transactional) {
                        producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                        producer.commitTransaction();
                    }
                }
            }
        }

        /** Waits until the group has given this responder its partitions, so no join falls inside a timed round trip. */
        void awaitAssignment() throws Exception {
            long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
            while (!assigned.await(50, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("raw-latency responder not assigned partitions within " + SETUP_TIMEOUT);
                }
            }
        }

        void rethrowFailure() throws ExecutionException {
            Throwable t = failure;
            if (t != null) {
                throw new ExecutionException("raw-latency responder failed", t);
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join(10_000);
            rethrowFailure();
        }
    }
}
