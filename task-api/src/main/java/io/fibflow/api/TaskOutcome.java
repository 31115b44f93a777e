package io.fibflow.api;

import io.fibflow.avro.ChildFailurePolicy;
import java.util.List;
import java.util.Objects;

/**
 * What a handler returns: a result, children to run before the next stage, or a suspension
 * until an external resume.
 */
public sealed interface TaskOutcome {

    /** The task succeeded with {@code value}, encoded by the worker's payload codec (JSON by default). */
    static TaskOutcome result(Object value) {
        return new Result(value);
    }

    /** The task succeeded without a value. */
    static TaskOutcome done() {
        return new Result(null);
    }

    /** Spawns {@code children}; the task resumes at stage + 1 with their results once all have finished. */
    static TaskOutcome next(List<ChildTask> children) {
        return new Next(children, null, ChildFailurePolicy.FAIL_PARENT);
    }

    /** As {@link #next(List)}, carrying {@code context} to the next stage. */
    static TaskOutcome next(List<ChildTask> children, byte[] context) {
        return new Next(children, context, ChildFailurePolicy.FAIL_PARENT);
    }

    /** As {@link #next(List, byte[])}, with the given policy for failed children. */
    static TaskOutcome next(List<ChildTask> children, byte[] context, ChildFailurePolicy policy) {
        return new Next(children, context, policy);
    }

    /** Suspends the task until it is resumed (by command or API), carrying {@code reason}. */
    static TaskOutcome suspend(String reason) {
        return new Suspend(reason, null);
    }

    /** As {@link #suspend(String)}, carrying {@code context} to the next stage. */
    static TaskOutcome suspend(String reason, byte[] context) {
        return new Suspend(reason, context);
    }

    /** A successful result; {@code value} may be null. */
    record Result(Object value) implements TaskOutcome {
    }

    /** Children to spawn; the parent waits in SUSPENDED. */
    record Next(List<ChildTask> children, byte[] context, ChildFailurePolicy policy) implements TaskOutcome {
        public Next {
            children = List.copyOf(Objects.requireNonNull(children, "children"));
            if (children.isEmpty()) {
                throw new IllegalArgumentException("next(...) needs at least one child; return a result instead");
            }
            policy = policy == null || policy == ChildFailurePolicy.UNKNOWN ? ChildFailurePolicy.FAIL_PARENT : policy;
        }
    }

    /** An explicit suspension waiting for an external resume. */
    record Suspend(String reason, byte[] context) implements TaskOutcome {
        public Suspend {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("suspend(...) needs a reason that says what the task waits for");
            }
        }
    }
}
