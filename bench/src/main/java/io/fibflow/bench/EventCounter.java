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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows task-events with read_committed, as any observer would: a task counts as done when
 * its SUCCEEDED event is committed.
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
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(1))) {
                        TaskEvent e = events.deserialize(topic, r.value());
                        if (e.getType() == TaskEventType.SUCCEEDED) {
                            succeededAtNanos.put(e.getTaskId(), System.nanoTime());
                            succeeded.incrementAndGet();
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

    /** When the task's SUCCEEDED was seen (System.nanoTime), or null. */
    Long succeededAt(String taskId) {
        return succeededAtNanos.get(taskId);
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
