package io.fibflow.api.client;

import io.fibflow.api.FibflowException;

/**
 * The topology's API refused a command before writing it: the task is unknown ({@link #httpStatus()}
 * 404) or its status does not allow the command (409); the message says why.
 */
public class CommandRefusedException extends FibflowException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    public CommandRefusedException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** 404 for an unknown task, 409 for a status that does not allow the command, 400 for bad input. */
    public int httpStatus() {
        return httpStatus;
    }
}
