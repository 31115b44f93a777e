package io.fibflow.api.client;

import io.fibflow.api.FibflowException;

/** A submission was refused before anything was sent; fix the spec (see {@link #reason()}). */
public class SubmitRejectedException extends FibflowException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public SubmitRejectedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** The failure type: {@code UNKNOWN_CAPABILITY} or {@code PAYLOAD_TOO_LARGE}. */
    public String reason() {
        return reason;
    }
}
