package io.fibflow.worker.internals;

import io.fibflow.api.TaskFailure;

/** An attempt passed its deadline; retryable under the task's policy (recorded as TIMED_OUT). */
final class TaskTimeoutException extends TaskFailure {

    private static final long serialVersionUID = 1L;

    TaskTimeoutException(TaskRun run) {
        super(TaskFailure.TIMEOUT, "attempt " + run.task.getAttempt() + " of task " + run.task.getId() + " ("
                + run.task.getName() + ") passed its timeout of " + run.options.timeout().toMillis() + " ms", false,
                null, null);
    }
}
