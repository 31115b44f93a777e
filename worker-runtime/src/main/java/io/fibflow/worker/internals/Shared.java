package io.fibflow.worker.internals;

import io.fibflow.api.HandlerOptions;
import io.fibflow.api.RetryBackoff;
import io.fibflow.api.codec.PayloadCodecs;
import io.fibflow.avro.Task;
import io.fibflow.worker.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every capability loop of one worker shares: configuration, handlers, codecs, the bounded
 * handler pool and its slot counter.
 */
public final class Shared {

    final WorkerConfig config;
    final HandlerRegistry handlers;
    final RecordCodec codec;
    final PayloadCodecs codecs;
    final TopicCatalog catalog;
    final ExecutorService pool;
    final Clock clock;
    final int maxConcurrency;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger stuckSlots = new AtomicInteger();
    final java.util.concurrent.ScheduledExecutorService timer;
    final Cancellations cancellations;

    Shared(WorkerConfig config, HandlerRegistry handlers, RecordCodec codec, PayloadCodecs codecs, TopicCatalog catalog,
            ExecutorService pool, java.util.concurrent.ScheduledExecutorService timer, Cancellations cancellations,
            Clock clock) {
        this.timer = timer;
        this.cancellations = cancellations;
        this.config = config;
        this.handlers = handlers;
        this.codec = codec;
        this.codecs = codecs;
        this.catalog = catalog;
        this.pool = pool;
        this.clock = clock;
        this.maxConcurrency = config.getInt(WorkerConfig.MAX_CONCURRENCY);
    }

    /** Takes one handler slot of the worker-wide limit; false when all are busy. */
    boolean tryAcquireSlot() {
        while (true) {
            int now = inFlight.get();
            if (now >= maxConcurrency) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void releaseSlot() {
        inFlight.decrementAndGet();
    }

    boolean slotsFree() {
        return inFlight.get() < maxConcurrency;
    }

    /** Options resolve task > handler > worker defaults, as fib-flow does. */
    TaskRun.Resolved resolve(Task task, HandlerOptions handler) {
        HandlerOptions h = handler == null ? HandlerOptions.NONE : handler;
        Duration timeout = task.getTimeoutMs() != null ? Duration.ofMillis(task.getTimeoutMs())
                : h.timeout() != null ? h.timeout() : config.defaultTimeout();
        int attempts = task.getMaxAttempts() != null ? task.getMaxAttempts()
                : h.maxAttempts() != null ? h.maxAttempts() : config.getInt(WorkerConfig.DEFAULT_MAX_ATTEMPTS);
        RetryBackoff backoff = task.getRetryPolicy() != null ? RetryBackoff.fromAvro(task.getRetryPolicy())
                : h.backoff() != null ? h.backoff() : config.defaultBackoff();
        return new TaskRun.Resolved(timeout, attempts, backoff);
    }
}
