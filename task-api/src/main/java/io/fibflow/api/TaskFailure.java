package io.fibflow.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A handler failure as data: a type, a message, whether it may be retried, and optionally
 * when to retry. Any other exception a handler throws is retryable, typed by its class name.
 *
 * <pre>{@code
 * throw TaskFailure.nonRetryable("GPU_MISSING", "this pool has no GPU");
 * throw TaskFailure.retryable("RATE_LIMITED", "429 from the API").withNextDelay(Duration.ofSeconds(30));
 * }</pre>
 */
public class TaskFailure extends FibflowException {

    private static final long serialVersionUID = 1L;

    /** Framework failure types that reach the wire (TaskError.type); pinned by tests. */
    public static final String NO_HANDLER = "NO_HANDLER";
    public static final String PAYLOAD_DECODE = "PAYLOAD_DECODE";
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    public static final String RESULTS_TOO_LARGE = "RESULTS_TOO_LARGE";
    public static final String UNKNOWN_CAPABILITY = "UNKNOWN_CAPABILITY";
    public static final String TIMEOUT = "TIMEOUT";
    public static final String CHILD_FAILED = "CHILD_FAILED";

    private final String type;
    private final boolean nonRetryable;
    private final transient Duration nextDelay;

    protected TaskFailure(String type, String message, boolean nonRetryable, Duration nextDelay, Throwable cause) {
        super(message, cause);
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a TaskFailure needs a type, got '" + type + "'");
        }
        if (nextDelay != null && nextDelay.isNegative()) {
            throw new IllegalArgumentException("nextDelay must not be negative, got " + nextDelay);
        }
        this.type = type;
        this.nonRetryable = nonRetryable;
        this.nextDelay = nextDelay;
    }

    public static TaskFailure retryable(String type, String message) {
        return new TaskFailure(type, message, false, null, null);
    }

    public static TaskFailure nonRetryable(String type, String message) {
        return new TaskFailure(type, message, true, null, null);
    }

    public static TaskFailure nonRetryable(String type, String message, Throwable cause) {
        return new TaskFailure(type, message, true, null, cause);
    }

    /** The same failure, retried after {@code delay} instead of the policy's backoff. */
    public TaskFailure withNextDelay(Duration delay) {
        return new TaskFailure(type, getMessage(), nonRetryable, delay, getCause());
    }

    public String type() {
        return type;
    }

    public boolean isNonRetryable() {
        return nonRetryable;
    }

    public Optional<Duration> nextDelay() {
        return Optional.ofNullable(nextDelay);
    }
}
