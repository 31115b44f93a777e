package io.fibflow.worker.internals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live set of cancelled task ids, from the compacted {@code task-cancellations} topic
 * (key = task id; a value means cancelled, a tombstone means no longer). Read to its end before
 * any task is consumed (DESIGN §6), then followed: the worker skips cancelled tasks before they
 * start, interrupts running ones, and the delay forwarder drops them.
 */
final class Cancellations implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Cancellations.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    Cancellations(KafkaConsumer<String, byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    boolean isCancelled(String taskId) {
        return cancelled.contains(taskId);
    }

    /** Called on the follower thread for each newly cancelled task id. */
    void onCancel(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Assigns every partition and reads to the current end; blocks until then or the timeout. */
    void catchUp(Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("could not read " + topic + " to its end within " + timeout);
            }
            apply(consumer.poll(Duration.ofMillis(100)), false);
        }
        log.info("read {} to its end: {} cancelled task(s)", topic, cancelled.size());
    }

    @Override
    public void run() {
        try {
            while (running) {
                try {
                    apply(consumer.poll(Duration.ofMillis(200)), true);
                } catch (WakeupException stopping) {
                    // stop() woke the poll; the loop condition ends it
                } catch (KafkaException e) {
                    if (!running) {
                        break;
                    }
                    // Giving up would leave cancellations unseen for the worker's life: keep trying.
                    log.error("following {} failed; retrying in {} ms", topic, RETRY_BACKOFF.toMillis(), e);
                    try {
                        Thread.sleep(RETRY_BACKOFF.toMillis()); // a retry backoff, not synchronisation
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    private void apply(Iterable<ConsumerRecord<String, byte[]>> records, boolean notify) {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.key() == null) {
                continue;
            }
            if (r.value() == null) {
                cancelled.remove(r.key());
            } else if (cancelled.add(r.key()) && notify) {
                listeners.forEach(l -> l.accept(r.key()));
            }
        }
    }
}
