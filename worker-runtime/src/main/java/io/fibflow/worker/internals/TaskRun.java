package io.fibflow.worker.internals;

import io.fibflow.api.RetryBackoff;
import io.fibflow.avro.Task;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One attempt of one task, from dispatch to its outcome. Created and finished on the poll
 * thread; the handler thread only reads it and updates the checkpointed context and the
 * cancellation flag.
 */
final class TaskRun {

    /** Options after resolving task > handler > worker defaults. */
    record Resolved(Duration timeout, int maxAttempts, RetryBackoff backoff) {
    }

    final TopicPartition partition;
    final ConsumerRecord<String, byte[]> record;
    final PartitionOffsets offsets;
    final Task task;
    final HandlerRegistry.Registration registration;
    final Resolved options;
    final Instant startedAt;
    final Instant deadline;
    private volatile ByteBuffer context;
    private volatile boolean cancelled;
    private volatile boolean cancelledByCommand;
    private volatile Thread thread;
    private final java.util.concurrent.atomic.AtomicBoolean completed = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean stuck;
    private volatile java.util.concurrent.Future<?> deadlineTimer;

    TaskRun(ConsumerRecord<String, byte[]> record, PartitionOffsets offsets, Task task,
            HandlerRegistry.Registration registration, Resolved options, Instant startedAt) {
        this.partition = new TopicPartition(record.topic(), record.partition());
        this.record = record;
        this.offsets = offsets;
        this.task = task;
        this.registration = registration;
        this.options = options;
        this.startedAt = startedAt;
        this.deadline = startedAt.plus(options.timeout());
        this.context = task.getContext();
    }

    long offset() {
        return record.offset();
    }

    ByteBuffer context() {
        return context;
    }

    void checkpoint(ByteBuffer context) {
        this.context = context;
    }

    boolean cancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }

    /** The task was cancelled (task-cancellations): interrupt it; its outcome becomes CANCELLED. */
    void cancelByCommand() {
        cancelledByCommand = true;
        cancelled = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    boolean cancelledByCommand() {
        return cancelledByCommand;
    }

    /** Claims the right to report this attempt's outcome: the handler's return or its timeout, whichever is first. */
    boolean complete() {
        return completed.compareAndSet(false, true);
    }

    void deadlineTimer(java.util.concurrent.Future<?> timer) {
        this.deadlineTimer = timer;
    }

    void cancelDeadlineTimer() {
        java.util.concurrent.Future<?> t = deadlineTimer;
        if (t != null) {
            t.cancel(false);
        }
    }

    synchronized void runningOn(Thread t) {
        thread = t;
    }

    Thread thread() {
        return thread;
    }

    /** The handler returned; true when its thread had been counted as stuck. */
    synchronized boolean returned() {
        thread = null;
        return stuck;
    }

    /** Marks the attempt's thread as stuck if it is still running (it ignored interruption). */
    synchronized boolean markStuckIfRunning() {
        if (thread == null || stuck) {
            return false;
        }
        stuck = true;
        return true;
    }

    /** The task as it now stands: the received task with the latest checkpointed context. */
    Task snapshot() {
        return Task.newBuilder(task).setContext(context).build();
    }
}
