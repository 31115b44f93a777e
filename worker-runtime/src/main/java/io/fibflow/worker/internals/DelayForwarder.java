package io.fibflow.worker.internals;

import io.fibflow.api.topics.DelayTiers;
import io.fibflow.api.RecordHeaders;
import io.fibflow.api.topics.DelayTier;
import io.fibflow.api.topics.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delay forwarder (DESIGN §5): one consumer group over every delay tier, shared by all
 * worker processes, forwarding each record when it is due, transactionally with its offset.
 *
 * <p>A record in tier T appended at A (broker time) leaves at min(due, A + T): to its target
 * topic when due, else to the largest tier that fits what is left. Due times are on the broker's
 * clock: a first-tier record is due at its append time plus its delay, and this process compares
 * against a lower bound of the broker's clock ({@link BrokerClock}), so nothing leaves early.
 * A partition whose head is not due is paused until it is; the queue of fetched records is
 * rebuilt from the committed offsets on every assignment change.
 */
final class DelayForwarder implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(DelayForwarder.class);
    private static final String REASON_BAD_DELAY_RECORD = "INVALID_DELAY_RECORD";

    private final TopicNames names;
    private final DelayTiers tiers;
    private final ClientFactory clients;
    private final OutcomeRecords outcomes;
    private final Cancellations cancellations;
    private final Map<String, DelayTier> tierOfTopic = new HashMap<>();
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> queues = new HashMap<>();
    private final Map<TopicPartition, Long> done = new HashMap<>();
    private final BrokerClock clock = new BrokerClock();
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private boolean transactionOpen;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long forwarded;
    private volatile long hopped;

    DelayForwarder(TopicNames names, DelayTiers tiers, ClientFactory clients, OutcomeRecords outcomes,
            Cancellations cancellations) {
        this.cancellations = cancellations;
        this.names = names;
        this.tiers = tiers;
        this.clients = clients;
        this.outcomes = outcomes;
        for (DelayTier t : tiers.all()) {
            tierOfTopic.put(names.delay(t), t);
        }
    }

    void stop() {
        running = false;
    }

    Throwable failure() {
        return failure;
    }

    long forwarded() {
        return forwarded;
    }

    long hopped() {
        return hopped;
    }

    @Override
    public void run() {
        try {
            producer = clients.transactionalProducer("delay-forwarder");
            consumer = clients.delayConsumer();
            consumer.subscribe(List.copyOf(tierOfTopic.keySet()), new Rebalance());
            while (running) {
                long nextRelease = releaseDue();
                commit();
                updatePauses();
                long waitMs = nextRelease == Long.MAX_VALUE ? 100
                        : Math.max(1, Math.min(100, nextRelease - clock.nowMs()));
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(transactionOpen ? 1 : waitMs))) {
                    if (r.timestampType() == TimestampType.LOG_APPEND_TIME) {
                        clock.observe(r.timestamp());
                    }
                    queues.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayDeque<>()).add(r);
                }
            }
            commit();
        } catch (Throwable t) {
            failure = t;
            log.error("delay forwarder failed; it stops", t);
        } finally {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(10));
            }
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
        }
    }

    /** Forwards or hops every due head record; returns the earliest release time still pending. */
    private long releaseDue() {
        long earliest = Long.MAX_VALUE;
        long now = clock.nowMs();
        for (Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> e : queues.entrySet()) {
            ArrayDeque<ConsumerRecord<String, byte[]>> queue = e.getValue();
            while (!queue.isEmpty()) {
                ConsumerRecord<String, byte[]> head = queue.peek();
                Long due = dueOf(head);
                if (due == null) {
                    send(outcomes.deadLetter(head, REASON_BAD_DELAY_RECORD, "IllegalArgumentException",
                            "a delay-topic record needs " + RecordHeaders.DELAY_TARGET + " naming a task topic and "
                                    + RecordHeaders.DELAY_MS + " or " + RecordHeaders.DELAY_DUE, 0));
                } else {
                    long release = DelayTiers.releaseAt(tierOfTopic.get(head.topic()), head.timestamp(), due);
                    if (now == Long.MIN_VALUE || now < release) {
                        earliest = Math.min(earliest, release);
                        break;
                    }
                    if (head.key() != null && cancellations.isCancelled(head.key())) {
                        log.debug("dropping cancelled task {} from {}", head.key(), head.topic());
                    } else {
                        send(now >= due ? forward(head) : hop(head, due, now));
                    }
                }
                queue.poll();
                done.put(e.getKey(), head.offset() + 1);
            }
        }
        return earliest;
    }

    private Long dueOf(ConsumerRecord<String, byte[]> r) {
        String target = header(r, RecordHeaders.DELAY_TARGET);
        if (target == null || names.capabilityOf(target) == null) {
            return null;
        }
        String due = header(r, RecordHeaders.DELAY_DUE);
        String delay = header(r, RecordHeaders.DELAY_MS);
        try {
            if (due != null) {
                return Long.parseLong(due);
            }
            return delay == null ? null : r.timestamp() + Long.parseLong(delay);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ProducerRecord<String, byte[]> forward(ConsumerRecord<String, byte[]> r) {
        ProducerRecord<String, byte[]> out =
                new ProducerRecord<>(header(r, RecordHeaders.DELAY_TARGET), null, r.key(), r.value());
        for (Header h : r.headers()) {
            if (!h.key().startsWith("fibflow.delay.")) {
                out.headers().add(h);
            }
        }
        forwarded++;
        return out;
    }

    private ProducerRecord<String, byte[]> hop(ConsumerRecord<String, byte[]> r, long due, long now) {
        DelayTier tier = tiers.forRemaining(Duration.ofMillis(due - now));
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(names.delay(tier), null, r.key(), r.value());
        for (Header h : r.headers()) {
            if (!h.key().equals(RecordHeaders.DELAY_DUE) && !h.key().equals(RecordHeaders.DELAY_MS)) {
                out.headers().add(h);
            }
        }
        out.headers().add(new RecordHeader(RecordHeaders.DELAY_DUE, Long.toString(due).getBytes(StandardCharsets.UTF_8)));
        hopped++;
        return out;
    }

    private void send(ProducerRecord<String, byte[]> record) {
        if (!transactionOpen) {
            producer.beginTransaction();
            transactionOpen = true;
        }
        producer.send(record, (metadata, error) -> {
            if (error == null && metadata != null && tierOfTopic.containsKey(metadata.topic())) {
                clock.observe(metadata.timestamp()); // delay topics stamp LogAppendTime
            }
        });
    }

    /** Commits what this pass forwarded: each pass releases everything due, so it is one batch. */
    private void commit() {
        if (!transactionOpen && done.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        done.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        try {
            if (!transactionOpen) {
                producer.beginTransaction();
                transactionOpen = true;
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            transactionOpen = false;
            done.clear();
        } catch (ProducerFencedException | InvalidProducerEpochException fenced) {
            log.warn("delay forwarder producer fenced; re-reading uncommitted delay records");
            producer.close(Duration.ZERO);
            producer = clients.transactionalProducer("delay-forwarder");
            transactionOpen = false;
            rewind();
        } catch (KafkaException e) {
            log.warn("delay forwarder transaction failed ({}); re-reading uncommitted delay records", e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                producer.close(Duration.ZERO);
                producer = clients.transactionalProducer("delay-forwarder");
            }
            transactionOpen = false;
            rewind();
        }
    }

    private void rewind() {
        Set<TopicPartition> owned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(owned);
        for (TopicPartition tp : owned) {
            OffsetAndMetadata om = committed.get(tp);
            if (om != null) {
                consumer.seek(tp, om.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        queues.clear();
        done.clear();
    }

    private void updatePauses() {
        Set<TopicPartition> wanted = new HashSet<>();
        queues.forEach((tp, q) -> {
            if (!q.isEmpty()) {
                wanted.add(tp);
            }
        });
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> pause = new HashSet<>(wanted);
        pause.removeAll(paused);
        Set<TopicPartition> resume = new HashSet<>(paused);
        resume.removeAll(wanted);
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Runs on the forwarder thread, inside poll(). */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
            partitions.forEach(queues::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (transactionOpen) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException e) {
                    producer.close(Duration.ZERO);
                    producer = clients.transactionalProducer("delay-forwarder");
                }
                transactionOpen = false;
                done.clear();
                queues.clear();
                rewind();
            }
            partitions.forEach(queues::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Queues start empty and fill from the committed offsets: every head is recomputed.
        }
    }
}
