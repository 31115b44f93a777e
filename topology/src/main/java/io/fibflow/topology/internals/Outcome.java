package io.fibflow.topology.internals;

import io.fibflow.avro.store.TaskStateRecord;

/**
 * The result of {@link Transition#apply}: the state to store (null only when there was none
 * and the event could not create one) and the verdict, with a reason for anything not applied.
 */
public record Outcome(TaskStateRecord state, Verdict verdict, String reason) {

    public boolean applied() {
        return verdict == Verdict.APPLIED;
    }
}
