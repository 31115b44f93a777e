package io.fibflow.bench;

import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.serde.AvroDeserializer;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows task-events with read_committed, as any observer would: a task counts as done when
 * its SUCCEEDED event is committed. It fetches like the raw baselines' consumers
 * ({@link Benchmark#FETCH_MAX_WAIT_MS}), so fibflow and raw Kafka are observed alike.
 */
final class EventCounter implements AutoCloseable {

    private final Map<String, Long> succeededAtNanos = new ConcurrentHashMap<>();
    private final AtomicLong succeeded = new AtomicLong();
    private final Thread thread;
    private final RestSchemaRegistryClient registry;
    private volatile boolean running = true;

    EventCounter(String bootstrap, String registryUrl, String topic) {
        registry = new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(registryUrl).build());
        AvroDeserializer<TaskEvent> events = new AvroDeserializer<>(TaskEvent.class, registry);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-events-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Benchmark.FETCH_MAX_WAIT_MS,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(1))) {
                        TaskEvent e = events.deserialize(topic, r.value());
                        // Distinct tasks: a SUCCEEDED seen again (a run repeated after a rebalance) is not a second task.
                        if (e.getType() == TaskEventType.SUCCEEDED
                                && succeededAtNanos.putIfAbsent(e.getTaskId(), System.nanoTime()) == null) {
                            succeeded.incrementAndGet();
                            synchronized (this) {
                                notifyAll();
                            }
                        }
                    }
                }
            }
        }, "bench-events");
        thread.setDaemon(true);
        thread.start();
    }

    long succeeded() {
        return succeeded.get();
    }

    /**
     * Waits for the task's SUCCEEDED and returns when this thread saw it (System.nanoTime). The
     * caller blocks rather than spins: the time is taken here, so waking late does not change it,
     * while a spinning caller would take a core from the worker and broker it is measuring.
     */
    long awaitSucceeded(String taskId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            Long seen;
            while ((seen = succeededAtNanos.get(taskId)) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("task " + taskId + " did not succeed within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return seen;
        }
    }

    void awaitSucceeded(long total, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (succeeded.get() < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + succeeded.get() + " of " + total + " tasks succeeded within "
                        + timeout);
            }
            Thread.sleep(1); // polling a counter with a deadline
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(10_000);
        registry.close();
    }
}
