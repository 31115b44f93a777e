package io.fibflow.api;

/**
 * The root of every exception fibflow throws; subclasses are named after what the caller must do next.
 *
 * <p>{@link #isTransient()} separates the two answers a caller usually needs: a transient failure
 * (a registry or broker that is down) may succeed later with the same input, so the caller should
 * pause and retry; a permanent one (bytes that cannot be decoded, a schema the registry rejects)
 * will fail again with the same input, so the caller should dead-letter or fix it.
 */
public class FibflowException extends RuntimeException {

    public FibflowException(String message) {
        super(message);
    }

    public FibflowException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same operation may succeed later without any change to its input.
     *
     * @return {@code false} unless a subclass says otherwise
     */
    public boolean isTransient() {
        return false;
    }
}
