package io.fibflow.api;

import java.time.Duration;

/**
 * Per-handler defaults, each optional (null = inherit). Options resolve task > handler >
 * worker defaults, as fib-flow does.
 *
 * <pre>{@code
 * HandlerOptions.builder().timeout(Duration.ofMinutes(5)).maxAttempts(5).maxConcurrency(2).build()
 * }</pre>
 */
public record HandlerOptions(Duration timeout, Integer maxAttempts, RetryBackoff backoff, Integer maxConcurrency) {

    public static final HandlerOptions NONE = new HandlerOptions(null, null, null, null);

    public HandlerOptions {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (maxConcurrency != null && maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link HandlerOptions}. */
    public static final class Builder {
        private Duration timeout;
        private Integer maxAttempts;
        private RetryBackoff backoff;
        private Integer maxConcurrency;

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder backoff(RetryBackoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder maxConcurrency(int maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        public HandlerOptions build() {
            return new HandlerOptions(timeout, maxAttempts, backoff, maxConcurrency);
        }
    }
}
