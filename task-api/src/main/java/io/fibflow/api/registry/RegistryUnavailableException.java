package io.fibflow.api.registry;

/**
 * The registry could not be reached, timed out or kept answering 5xx/429 after every retry: the
 * failure is transient, so pause and retry later rather than dropping the data.
 */
public class RegistryUnavailableException extends SchemaRegistryException {

    private final int attempts;

    public RegistryUnavailableException(String message, int attempts, int httpStatus, int errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
        this.attempts = attempts;
    }

    /** @return how many requests were made before giving up */
    public int attempts() {
        return attempts;
    }

    /** @return always {@code true}: the same call may succeed once the registry is back */
    @Override
    public boolean isTransient() {
        return true;
    }
}
