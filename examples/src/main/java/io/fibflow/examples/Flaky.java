package io.fibflow.examples;

import io.fibflow.api.TaskContext;
import io.fibflow.api.TaskHandler;
import io.fibflow.api.TaskOutcome;
import java.util.Map;

/** {@code flaky}: fails its first {@code failures} attempts, then succeeds (shows retries with backoff). */
public final class Flaky implements TaskHandler {

    private final int failures;

    public Flaky(int failures) {
        this.failures = failures;
    }

    @Override
    public TaskOutcome handle(TaskContext ctx) {
        if (ctx.attempt() <= failures) {
            throw new IllegalStateException("simulated failure on attempt " + ctx.attempt());
        }
        return TaskOutcome.result(Map.of("succeeded_on_attempt", ctx.attempt()));
    }
}
