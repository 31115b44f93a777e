package io.fibflow.examples;

import io.fibflow.api.TaskContext;
import io.fibflow.api.TaskHandler;
import io.fibflow.api.TaskOutcome;
import java.util.Map;

/**
 * {@code request_approval}: human in the loop. Stage 0 suspends with a reason until someone
 * resumes the task (API, CLI or command); stage 1 records the approval.
 */
public final class RequestApproval implements TaskHandler {

    /** The payload. */
    public record Input(String subject) {
    }

    @Override
    public TaskOutcome handle(TaskContext ctx) {
        String subject = ctx.payload(Input.class).subject();
        if (ctx.stage() == 0) {
            return TaskOutcome.suspend("waiting for approval of " + subject);
        }
        return TaskOutcome.result(Map.of("subject", subject, "approved", true, "stage", ctx.stage()));
    }
}
