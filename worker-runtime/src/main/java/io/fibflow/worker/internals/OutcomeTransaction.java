package io.fibflow.worker.internals;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A capability loop's transactional producer and the transaction it keeps open: outcomes and the
 * offsets they complete are committed together, batched over the commit interval (DESIGN §5).
 *
 * <p>Owned by the poll thread, like the {@link CapabilityLoop} it belongs to; it reads and updates
 * that loop's partition offsets and commit metadata, which only the poll thread touches.
 */
final class OutcomeTransaction {

    private static final Logger log = LoggerFactory.getLogger(OutcomeTransaction.class);

    /** What the loop does when uncommitted work is thrown away. */
    interface Rewind {
        /** Seeks the partitions back to their last commit; in-flight outcomes of the old state are discarded. */
        void rewind(Collection<TopicPartition> partitions);
    }

    private final String capability;
    private final ClientFactory clients;
    private final long commitIntervalNanos;
    private final Map<TopicPartition, PartitionOffsets> offsets;
    private final Map<TopicPartition, String> committedMetadata;
    private final Supplier<ConsumerGroupMetadata> groupMetadata;
    private final Rewind loop;

    private KafkaProducer<String, byte[]> producer;
    private boolean transactionOpen;
    private boolean offsetsDirty;
    private long dirtySinceNanos;

    OutcomeTransaction(String capability, ClientFactory clients, long commitIntervalNanos,
            Map<TopicPartition, PartitionOffsets> offsets, Map<TopicPartition, String> committedMetadata,
            Supplier<ConsumerGroupMetadata> groupMetadata, Rewind loop) {
        this.capability = capability;
        this.clients = clients;
        this.commitIntervalNanos = commitIntervalNanos;
        this.offsets = offsets;
        this.committedMetadata = committedMetadata;
        this.groupMetadata = groupMetadata;
        this.loop = loop;
    }

    /** Creates the producer; called on the poll thread before the loop's consumer exists. */
    void start() {
        producer = clients.transactionalProducer(capability);
    }

    /** True while outcomes or moved offsets wait for a commit. */
    boolean hasUncommitted() {
        return transactionOpen || offsetsDirty;
    }

    void send(ProducerRecord<String, byte[]> record) {
        if (!transactionOpen) {
            producer.beginTransaction();
            transactionOpen = true;
            markDirty();
        }
        producer.send(record);
    }

    /** A task is done: its outcome records and its finished offset go into the same commit. */
    void complete(PartitionOffsets partition, long offset, List<ProducerRecord<String, byte[]>> records) {
        records.forEach(this::send);
        partition.finished(offset);
        markDirty();
    }

    /** Some partition's offsets moved: commit them within the commit interval. */
    void markDirty() {
        if (!offsetsDirty) {
            offsetsDirty = true;
            dirtySinceNanos = System.nanoTime();
        }
    }

    /** Commits what is pending if {@code now} or once the commit interval has passed since it began. */
    void maybeCommit(boolean now) {
        if (!transactionOpen && !offsetsDirty) {
            return;
        }
        if (now || System.nanoTime() - dirtySinceNanos >= commitIntervalNanos) {
            commit();
        }
    }

    void commit() {
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        offsets.forEach((tp, po) -> {
            long offset = po.committableOffset();
            String metadata = po.metadata();
            if (offset != po.lastCommitted() || !metadata.equals(committedMetadata.getOrDefault(tp, ""))) {
                toCommit.put(tp, new OffsetAndMetadata(offset, metadata));
            }
        });
        if (!transactionOpen && toCommit.isEmpty()) {
            offsetsDirty = false;
            return;
        }
        try {
            if (!transactionOpen) {
                producer.beginTransaction();
                transactionOpen = true;
            }
            if (!toCommit.isEmpty()) {
                producer.sendOffsetsToTransaction(toCommit, groupMetadata.get());
            }
            producer.commitTransaction();
            transactionOpen = false;
            offsetsDirty = false;
            toCommit.forEach((tp, om) -> {
                offsets.get(tp).committed(om.offset());
                committedMetadata.put(tp, om.metadata());
            });
        } catch (ProducerFencedException | InvalidProducerEpochException fenced) {
            log.warn("producer for {} fenced; a new one replaces it and uncommitted work is re-read", capability);
            replaceProducer();
            rewind(offsets.keySet());
        } catch (KafkaException e) {
            log.warn("transaction for {} failed ({}); aborting and re-reading uncommitted work", capability, e.toString());
            abort();
            rewind(offsets.keySet());
        }
    }

    /**
     * The loop lost {@code lost} without a revoke: an open transaction may carry their outcomes, so
     * it is aborted, and the partitions still owned re-read what it carried for them.
     */
    void abortForLost(Collection<TopicPartition> lost) {
        if (transactionOpen) {
            abort();
            Set<TopicPartition> kept = new HashSet<>(offsets.keySet());
            kept.removeAll(lost);
            rewind(kept);
        }
    }

    void close() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(10));
            } catch (KafkaException e) {
                log.warn("closing the producer of {} failed: {}", capability, e.toString());
            }
        }
    }

    private void abort() {
        try {
            producer.abortTransaction();
            transactionOpen = false;
        } catch (KafkaException abortFailed) {
            replaceProducer();
        }
    }

    private void replaceProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (KafkaException ignored) {
            // already broken
        }
        producer = clients.transactionalProducer(capability);
        transactionOpen = false;
    }

    private void rewind(Collection<TopicPartition> partitions) {
        loop.rewind(partitions);
        offsetsDirty = false;
    }
}
