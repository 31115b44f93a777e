package io.fibflow.api.client;

import io.fibflow.api.RetryBackoff;
import io.fibflow.api.topics.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What to submit: a handler name and payload plus options, validated as they are set.
 *
 * <pre>{@code
 * TaskSpec spec = TaskSpec.builder("train_model")
 *         .payload(Map.of("epochs", 10))
 *         .capability("gpu")
 *         .timeout(Duration.ofMinutes(30))
 *         .maxAttempts(2)
 *         .build();
 * }</pre>
 */
public final class TaskSpec {

    private final String name;
    private final Object payload;
    private final String capability;
    private final Duration timeout;
    private final Integer maxAttempts;
    private final RetryBackoff backoff;
    private final String tag;
    private final int priority;
    private final String idempotencyKey;
    private final Duration delay;
    private final Instant notBefore;
    private final byte[] context;
    private final Map<String, String> traceHeaders;

    private TaskSpec(Builder b) {
        this.name = b.name;
        this.payload = b.payload;
        this.capability = b.capability;
        this.timeout = b.timeout;
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.tag = b.tag;
        this.priority = b.priority;
        this.idempotencyKey = b.idempotencyKey;
        this.delay = b.delay;
        this.notBefore = b.notBefore;
        this.context = b.context;
        this.traceHeaders = Map.copyOf(b.traceHeaders);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static TaskSpec of(String name, Object payload) {
        return builder(name).payload(payload).build();
    }

    public String name() {
        return name;
    }

    public Object payload() {
        return payload;
    }

    public String capability() {
        return capability;
    }

    public Duration timeout() {
        return timeout;
    }

    public Integer maxAttempts() {
        return maxAttempts;
    }

    public RetryBackoff backoff() {
        return backoff;
    }

    public String tag() {
        return tag;
    }

    public int priority() {
        return priority;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** How long to wait before the task may start, or null. */
    public Duration delay() {
        return delay;
    }

    /** The earliest start, or null. */
    public Instant notBefore() {
        return notBefore;
    }

    public byte[] context() {
        return context == null ? null : context.clone();
    }

    public Map<String, String> traceHeaders() {
        return traceHeaders;
    }

    /** Builds a {@link TaskSpec}; each setter rejects a bad value naming it. */
    public static final class Builder {
        private final String name;
        private Object payload = Map.of();
        private String capability = "default";
        private Duration timeout;
        private Integer maxAttempts;
        private RetryBackoff backoff;
        private String tag;
        private int priority;
        private String idempotencyKey;
        private Duration delay;
        private Instant notBefore;
        private byte[] context;
        private Map<String, String> traceHeaders = Map.of();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a task needs a handler name, got '" + name + "'");
            }
            this.name = name;
        }

        /** Any value the payload codecs encode (JSON for objects, binary for byte[]), or an avro Payload. */
        public Builder payload(Object payload) {
            this.payload = Objects.requireNonNull(payload, "payload (use Map.of() for an empty one)");
            return this;
        }

        public Builder capability(String capability) {
            this.capability = TopicNames.requireValidCapability(capability);
            return this;
        }

        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder backoff(RetryBackoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** Submitting the same key twice names the same task (its id is the UUIDv5 of the key). */
        public Builder idempotencyKey(String key) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("idempotencyKey must be non-blank, got '" + key + "'");
            }
            this.idempotencyKey = key;
            return this;
        }

        /** Starts no earlier than {@code delay} after submission (through the delay tiers). */
        public Builder delay(Duration delay) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("delay must be zero or positive, got " + delay);
            }
            this.delay = delay;
            this.notBefore = null;
            return this;
        }

        /** Starts no earlier than {@code instant}. */
        public Builder notBefore(Instant instant) {
            this.notBefore = Objects.requireNonNull(instant, "notBefore");
            this.delay = null;
            return this;
        }

        public Builder context(byte[] context) {
            this.context = context == null ? null : context.clone();
            return this;
        }

        public Builder traceHeaders(Map<String, String> headers) {
            this.traceHeaders = Map.copyOf(headers);
            return this;
        }

        public TaskSpec build() {
            return new TaskSpec(this);
        }
    }
}
