package io.fibflow.api.client;

import io.fibflow.api.FibflowException;

/** {@link TaskClient#awaitTerminal} gave up: the task had not finished; wait again or look at it. */
public class TaskNotFinishedException extends FibflowException {

    private static final long serialVersionUID = 1L;

    public TaskNotFinishedException(String message) {
        super(message);
    }
}
