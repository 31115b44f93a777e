package io.fibflow.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A child a parent spawns with {@link TaskOutcome#next}: a handler name and payload, plus
 * optional overrides. A child runs in its parent's capability unless it names another.
 *
 * <pre>{@code
 * ChildTask.of("process_chunk", Map.of("chunk_id", 7)).withCapability("high-memory")
 * }</pre>
 */
public record ChildTask(String name, Object payload, String capability, Duration timeout, Integer maxAttempts,
        RetryBackoff backoff, String tag) {

    public ChildTask {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a child task needs a handler name, got '" + name + "'");
        }
        if (capability != null) {
            io.fibflow.api.topics.TopicNames.requireValidCapability(capability);
        }
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts of child " + name + " must be >= 1, got " + maxAttempts);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout of child " + name + " must be positive, got " + timeout);
        }
    }

    public static ChildTask of(String name, Object payload) {
        return new ChildTask(name, payload, null, null, null, null, null);
    }

    public ChildTask withCapability(String capability) {
        return new ChildTask(name, payload, Objects.requireNonNull(capability, "capability"), timeout, maxAttempts,
                backoff, tag);
    }

    public ChildTask withTimeout(Duration timeout) {
        return new ChildTask(name, payload, capability, timeout, maxAttempts, backoff, tag);
    }

    public ChildTask withMaxAttempts(int maxAttempts) {
        return new ChildTask(name, payload, capability, timeout, maxAttempts, backoff, tag);
    }

    public ChildTask withBackoff(RetryBackoff backoff) {
        return new ChildTask(name, payload, capability, timeout, maxAttempts, backoff, tag);
    }

    public ChildTask withTag(String tag) {
        return new ChildTask(name, payload, capability, timeout, maxAttempts, backoff, tag);
    }
}
