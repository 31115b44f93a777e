package io.fibflow.api.registry;

import io.fibflow.api.FibflowException;

/**
 * A Schema Registry call failed; the parent of every registry error, carrying the HTTP status and
 * the registry's {@code error_code} when there was a response.
 */
public class SchemaRegistryException extends FibflowException {

    /** Value of {@link #httpStatus()} and {@link #errorCode()} when the registry gave none. */
    public static final int NONE = -1;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** @return the HTTP status of the failed response, or {@link #NONE} if there was no response */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return the registry's {@code error_code} (e.g. 40403), or {@link #NONE} if it sent none */
    public int errorCode() {
        return errorCode;
    }
}
