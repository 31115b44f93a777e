package io.fibflow.api.codec;

import io.fibflow.api.TaskFailure;

/** A payload could not be decoded into the type a handler asked for; retrying cannot help. */
public class PayloadDecodeException extends TaskFailure {

    private static final long serialVersionUID = 1L;

    public PayloadDecodeException(String message, Throwable cause) {
        super(TaskFailure.PAYLOAD_DECODE, message, true, null, cause);
    }
}
