package io.fibflow.api;

import io.fibflow.avro.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with jitter between attempts: the delay before attempt n + 1 is
 * min(initial * multiplier^(n-1), max), drawn from +/- jitter around that value.
 *
 * <pre>{@code
 * RetryBackoff b = RetryBackoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMinutes(1), 0.2);
 * Duration d = b.delayAfterAttempt(3); // about 400 ms
 * }</pre>
 */
public record RetryBackoff(Duration initialInterval, double multiplier, Duration maxInterval, double jitter) {

    /** 1 s, doubling, at most 5 min, 20 % jitter. */
    public static final RetryBackoff DEFAULT =
            new RetryBackoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.2);

    public RetryBackoff {
        Objects.requireNonNull(initialInterval, "initialInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        if (initialInterval.toMillis() < 1) {
            throw new IllegalArgumentException("initialInterval must be >= 1 ms, got " + initialInterval);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be >= 1.0, got " + multiplier);
        }
        if (maxInterval.compareTo(initialInterval) < 0) {
            throw new IllegalArgumentException(
                    "maxInterval " + maxInterval + " must not be shorter than initialInterval " + initialInterval);
        }
        if (jitter < 0.0 || jitter >= 1.0) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
    }

    public static RetryBackoff exponential(Duration initial, double multiplier, Duration max, double jitter) {
        return new RetryBackoff(initial, multiplier, max, jitter);
    }

    public static RetryBackoff fixed(Duration delay) {
        return new RetryBackoff(delay, 1.0, delay, 0.0);
    }

    /** The delay after failed attempt {@code attempt} (1-based), before attempt + 1. */
    public Duration delayAfterAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        }
        return Duration.ofMillis(intervalFunction().apply(attempt));
    }

    /** The un-jittered delay after {@code attempt}: the lower bound tests compare against is this times (1 - jitter). */
    public Duration nominalDelayAfterAttempt(int attempt) {
        double ms = initialInterval.toMillis() * Math.pow(multiplier, attempt - 1);
        return Duration.ofMillis((long) Math.min(ms, maxInterval.toMillis()));
    }

    private IntervalFunction intervalFunction() {
        long max = maxInterval.toMillis();
        if (jitter == 0.0) {
            IntervalFunction f = IntervalFunction.ofExponentialBackoff(initialInterval, multiplier, maxInterval);
            return f;
        }
        // Resilience4j draws the jittered value before capping it; cap after so max holds.
        IntervalFunction f = IntervalFunction.ofExponentialRandomBackoff(initialInterval, multiplier, jitter, maxInterval);
        return attempt -> Math.min(f.apply(attempt), max);
    }

    public RetryPolicy toAvro() {
        return RetryPolicy.newBuilder().setInitialIntervalMs(initialInterval.toMillis()).setMultiplier(multiplier)
                .setMaxIntervalMs(maxInterval.toMillis()).setJitter(jitter).build();
    }

    public static RetryBackoff fromAvro(RetryPolicy policy) {
        return policy == null ? null : new RetryBackoff(Duration.ofMillis(policy.getInitialIntervalMs()),
                policy.getMultiplier(), Duration.ofMillis(policy.getMaxIntervalMs()), policy.getJitter());
    }
}
