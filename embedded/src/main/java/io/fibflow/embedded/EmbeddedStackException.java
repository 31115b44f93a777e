package io.fibflow.embedded;

/**
 * Thrown when the embedded broker or Schema Registry cannot start or stop cleanly.
 *
 * <p>What the caller does next: nothing can be retried in place; fix the cause named in
 * the message (a port in use, an unreadable data directory) and build a new instance.
 */
public class EmbeddedStackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedStackException(String message) {
        super(message);
    }

    public EmbeddedStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
