package io.fibflow.worker.internals;

/**
 * A lower bound of the broker's clock, learned from append times the broker stamped
 * ({@code LogAppendTime}) and the local monotonic time at which they were seen: an append seen
 * at local time t happened at or before it, so append + (now - t) never runs ahead of the broker.
 * Releasing a delayed record when this bound passes its due time is never early, whatever this
 * machine's wall clock says.
 */
final class BrokerClock {

    private long brokerMs = Long.MIN_VALUE;
    private long observedAtNanos;

    /** The broker stamped {@code appendMs} on a record this process has now seen. */
    synchronized void observe(long appendMs) {
        long now = System.nanoTime();
        if (brokerMs == Long.MIN_VALUE || appendMs > nowMs(now)) {
            brokerMs = appendMs;
            observedAtNanos = now;
        }
    }

    /** The broker's time, at least; Long.MIN_VALUE before anything was observed. */
    synchronized long nowMs() {
        return nowMs(System.nanoTime());
    }

    private long nowMs(long nanos) {
        return brokerMs == Long.MIN_VALUE ? Long.MIN_VALUE : brokerMs + (nanos - observedAtNanos) / 1_000_000L;
    }
}
