package io.fibflow.worker.internals;

import io.fibflow.api.FibflowException;
import io.fibflow.api.RecordHeaders;
import io.fibflow.api.TaskFailure;
import io.fibflow.api.internals.records.TaskEvents;
import io.fibflow.api.serde.UndecodableRecordException;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskError;
import io.fibflow.worker.WorkerConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One capability of one worker: its consumer (group {@code fibflow.<capability>}), its
 * transactional producer and the poll thread that owns both (DESIGN §5). Handlers run on the
 * shared pool ({@link AttemptRunner}) and report back through the {@link Mailbox}; outcomes and the
 * offsets they complete are committed together, batched over the commit interval
 * ({@link OutcomeTransaction}).
 */
final class CapabilityLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CapabilityLoop.class);

    /** A fetched, decoded task waiting for a handler slot. */
    private record Pending(ConsumerRecord<String, byte[]> record, PartitionOffsets offsets, Task task) {
    }

    private final String capability;
    private final String topic;
    private final Shared shared;
    private final ClientFactory clients;
    private final OutcomeRecords outcomes;
    private final Mailbox mailbox = new Mailbox();
    private final Map<TopicPartition, PartitionOffsets> offsets = new HashMap<>();
    private final Map<TopicPartition, String> committedMetadata = new HashMap<>();
    private final Map<TopicPartition, Long> highestSeen = new HashMap<>();
    private final Map<TopicPartition, Long> blockedUntilNanos = new HashMap<>();
    private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
    private final AttemptRunner attempts;
    private final OutcomeTransaction transaction;
    private final long registryBackoffNanos;
    private final int maxBuffered;

    private KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile Throwable failure;

    CapabilityLoop(String capability, Shared shared, ClientFactory clients, OutcomeRecords outcomes) {
        this.capability = capability;
        this.topic = shared.config.topicNames().tasks(capability);
        this.shared = shared;
        this.clients = clients;
        this.outcomes = outcomes;
        this.attempts = new AttemptRunner(shared, mailbox);
        this.transaction = new OutcomeTransaction(capability, clients,
                TimeUnit.MILLISECONDS.toNanos(shared.config.getLong(WorkerConfig.COMMIT_INTERVAL_MS)),
                offsets, committedMetadata, () -> consumer.groupMetadata(), this::rewind);
        this.registryBackoffNanos =
                TimeUnit.MILLISECONDS.toNanos(shared.config.getLong(WorkerConfig.REGISTRY_RETRY_BACKOFF_MS));
        this.maxBuffered = shared.config.getInt(WorkerConfig.MAX_BUFFERED_RECORDS);
    }

    String capability() {
        return capability;
    }

    void stop() {
        running = false;
    }

    void setPaused(boolean paused) {
        this.paused = paused;
    }

    Throwable failure() {
        return failure;
    }

    int running() {
        return attempts.running();
    }

    /** Called on the cancellations thread: interrupts this loop's attempts of the task. */
    void cancelRunning(String taskId) {
        attempts.cancelByCommand(taskId);
    }

    @Override
    public void run() {
        try {
            transaction.start();
            consumer = clients.consumer(capability);
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                processMailbox();
                maybeCommit(false);
                dispatch();
                updatePauses();
                ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout());
                for (TopicPartition tp : records.partitions()) {
                    accept(tp, records.records(tp));
                }
                dispatch();
            }
            drain();
        } catch (Throwable t) {
            failure = t;
            log.error("worker loop for capability {} failed; it stops", capability, t);
        } finally {
            closeClients();
        }
    }

    private Duration pollTimeout() {
        boolean idle = attempts.isEmpty() && buffer.isEmpty() && !transaction.hasUncommitted();
        return Duration.ofMillis(idle ? 100 : 1);
    }

    // ---- fetch and dispatch ------------------------------------------------------------------

    private void accept(TopicPartition tp, List<ConsumerRecord<String, byte[]>> records) {
        PartitionOffsets po = offsets.get(tp);
        if (po == null || blockedUntilNanos.containsKey(tp)) {
            return;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            long offset = record.offset();
            if (po.spanFull(offset)) {
                // One poll can overshoot the span the commit metadata can carry (the pause applies to
                // the next fetch): re-read from here once the partition's commit has moved on.
                consumer.seek(tp, offset);
                return;
            }
            highestSeen.merge(tp, offset, Math::max);
            if (po.finishedByEarlierOwner(offset) || record.value() == null) {
                finish(po, offset);
                continue;
            }
            Task task;
            try {
                task = shared.codec.decodeTask(record.topic(), record.value());
            } catch (RuntimeException e) {
                if (UndecodableRecordException.isPermanent(e)) {
                    log.warn("dead-lettering undecodable record {}-{}@{}: {}", tp.topic(), tp.partition(), offset,
                            e.getMessage());
                    transaction.send(outcomes.deadLetter(record, RecordHeaders.REASON_UNDECODABLE,
                            e.getClass().getName(), e.getMessage(), 0));
                    finish(po, offset);
                    continue;
                }
                // Registry down or slow: not the record's fault. Re-read it after a pause.
                log.warn("cannot decode {}-{}@{} now ({}); pausing the partition", tp.topic(), tp.partition(), offset,
                        e.getMessage());
                consumer.seek(tp, offset);
                blockedUntilNanos.put(tp, System.nanoTime() + registryBackoffNanos);
                return;
            }
            if (task.getNotBefore() != null && task.getNotBefore().toEpochMilli() > shared.clock.millis()) {
                // Early (a delayed submission that skipped the tiers, or clock skew): send it back.
                Duration wait = Duration.ofMillis(task.getNotBefore().toEpochMilli() - shared.clock.millis());
                outcomes.notYet(task, wait).forEach(transaction::send);
                finish(po, offset);
                continue;
            }
            po.started(offset);
            buffer.add(new Pending(record, po, task));
        }
    }

    private void finish(PartitionOffsets po, long offset) {
        po.started(offset);
        po.finished(offset);
        transaction.markDirty();
    }

    private void dispatch() {
        if (paused) {
            return;
        }
        Iterator<Pending> it = buffer.iterator();
        while (it.hasNext() && shared.slotsFree()) {
            Pending p = it.next();
            TopicPartition tp = new TopicPartition(p.record.topic(), p.record.partition());
            if (offsets.get(tp) != p.offsets) {
                it.remove();
                continue;
            }
            if (shared.cancellations.isCancelled(p.task.getId())) {
                it.remove();
                transaction.complete(p.offsets, p.record.offset(),
                        List.of(outcomes.cancelled(p.task, "cancelled before it started")));
                continue;
            }
            HandlerRegistry.Registration registration = shared.handlers.get(p.task.getName());
            if (registration == null) {
                it.remove();
                noHandler(p);
                continue;
            }
            if (!registration.tryAcquire()) {
                continue;
            }
            if (!shared.tryAcquireSlot()) {
                registration.release();
                break;
            }
            ProducerRecord<String, byte[]> started;
            try {
                started = outcomes.started(p.task);
            } catch (FibflowException e) {
                registration.release();
                shared.releaseSlot();
                if (e.isTransient()) {
                    return; // registry unreachable: try again on the next turn of the loop
                }
                throw e;
            }
            it.remove();
            TaskRun run = new TaskRun(p.record, p.offsets, p.task, registration,
                    shared.resolve(p.task, registration.options()), shared.clock.instant());
            transaction.send(started);
            attempts.start(run);
        }
    }

    private void noHandler(Pending p) {
        TaskError error = TaskEvents.error(TaskFailure.NO_HANDLER,
                "no handler named '" + p.task.getName() + "' in worker " + shared.config.workerId()
                        + " (handlers: " + shared.handlers.names() + ")", true);
        TaskRun.Resolved options = shared.resolve(p.task, null);
        transaction.complete(p.offsets, p.record.offset(),
                outcomes.afterFailure(p.task, p.record, error, options.maxAttempts(), options.backoff(), null));
    }

    private void processMailbox() {
        List<Mailbox.Message> messages = mailbox.drain();
        for (int i = 0; i < messages.size(); i++) {
            try {
                process(messages.get(i));
            } catch (FibflowException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                // Registry unreachable while encoding an outcome: keep this and the rest for later.
                log.warn("cannot encode outcomes for {} now ({}); retrying", capability, e.getMessage());
                messages.subList(i, messages.size()).forEach(mailbox::post);
                return;
            }
        }
    }

    private void process(Mailbox.Message m) {
        TaskRun run = m.run();
        boolean owned = offsets.get(run.partition) == run.offsets;
        if (m instanceof Mailbox.SideEvent side) {
            if (owned) {
                transaction.send(outcomes.event(side.event()));
            }
            return;
        }
        if (!owned) {
            attempts.finished(run);
            log.debug("discarding the outcome of {}: partition {} was revoked or rewound", run.task.getId(),
                    run.partition);
            return;
        }
        Mailbox.Completion c = (Mailbox.Completion) m;
        List<ProducerRecord<String, byte[]>> records = run.cancelledByCommand()
                ? List.of(outcomes.cancelled(run.task, "cancelled while running"))
                : outcomes.completed(run, c.outcome(), c.failure());
        attempts.finished(run);
        transaction.complete(run.offsets, run.offset(), records);
    }

    /** Nothing running or buffered means nothing would join the batch: commit now. */
    private void maybeCommit(boolean force) {
        transaction.maybeCommit(force || attempts.isEmpty() && buffer.isEmpty());
    }

    /** Seeks partitions back to their last commit; in-flight outcomes of the old state are discarded. */
    private void rewind(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : new ArrayList<>(partitions)) {
            PartitionOffsets old = offsets.get(tp);
            if (old == null) {
                continue;
            }
            consumer.seek(tp, old.lastCommitted());
            offsets.put(tp, new PartitionOffsets(old.lastCommitted(), committedMetadata.get(tp)));
            buffer.removeIf(p -> p.offsets == old);
        }
    }

    // ---- pausing -------------------------------------------------------------------------------

    private void updatePauses() {
        long now = System.nanoTime();
        blockedUntilNanos.values().removeIf(until -> until <= now);
        boolean full = buffer.size() >= maxBuffered;
        Set<TopicPartition> wanted = new HashSet<>();
        for (Map.Entry<TopicPartition, PartitionOffsets> e : offsets.entrySet()) {
            TopicPartition tp = e.getKey();
            long next = highestSeen.getOrDefault(tp, e.getValue().lastCommitted()) + 1;
            if (paused || full || blockedUntilNanos.containsKey(tp) || e.getValue().spanFull(next)) {
                wanted.add(tp);
            }
        }
        Set<TopicPartition> current = consumer.paused();
        Set<TopicPartition> toPause = new HashSet<>(wanted);
        toPause.removeAll(current);
        Set<TopicPartition> toResume = new HashSet<>(current);
        toResume.removeAll(wanted);
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }

    // ---- shutdown ------------------------------------------------------------------------------

    private void drain() {
        consumer.pause(consumer.assignment());
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(shared.config.getLong(WorkerConfig.DRAIN_TIMEOUT_MS));
        while (!attempts.isEmpty() && System.nanoTime() < deadline) {
            processMailbox();
            maybeCommit(false);
            consumer.poll(Duration.ofMillis(20));
        }
        processMailbox();
        maybeCommit(true);
        if (!attempts.isEmpty()) {
            log.warn("{} task(s) of {} still running after the drain timeout; their partitions will re-run them",
                    attempts.running(), capability);
            attempts.cancelAll();
        }
    }

    private void closeClients() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (KafkaException e) {
                log.warn("closing the consumer of {} failed: {}", capability, e.toString());
            }
        }
        transaction.close();
    }

    /** Runs on the poll thread, inside poll(). */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            processMailbox();
            transaction.commit();
            forget(partitions);
            log.info("{}: revoked {}", capability, partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            transaction.abortForLost(partitions);
            forget(partitions);
            log.warn("{}: lost {} (not owned any more; their tasks re-run elsewhere)", capability, partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata om = committed.get(tp);
                long base = om != null ? om.offset() : consumer.position(tp);
                String metadata = om == null ? "" : om.metadata();
                offsets.put(tp, new PartitionOffsets(base, metadata));
                committedMetadata.put(tp, metadata);
                highestSeen.put(tp, base - 1);
            }
            log.info("{}: assigned {}", capability, partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                PartitionOffsets po = offsets.remove(tp);
                buffer.removeIf(p -> p.offsets == po);
                committedMetadata.remove(tp);
                highestSeen.remove(tp);
                blockedUntilNanos.remove(tp);
            }
        }
    }
}
