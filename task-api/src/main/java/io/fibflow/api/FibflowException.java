package io.fibflow.api;

/**
 * The root of every exception fibflow throws; each subclass is named after what the caller
 * should do next.
 */
public class FibflowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FibflowException(String message) {
        super(message);
    }

    public FibflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
