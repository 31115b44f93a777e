package io.fibflow.topology.internals;

/** What the transition function did with one event. */
public enum Verdict {
    /** The event changed the state, or was recorded (PROGRESS, CHECKPOINT, REJECTED). */
    APPLIED,
    /** (task id, epoch, type) was already applied; nothing changed (rule 2). */
    DUPLICATE,
    /** The event belongs to an epoch older than the task's current one (rule 1). */
    FENCED,
    /** The (state, event) pair is not in the table, or the state is terminal (rules 4 and 5). */
    ILLEGAL,
    /** An event type this build does not know (rule 3). */
    IGNORED_UNKNOWN
}
