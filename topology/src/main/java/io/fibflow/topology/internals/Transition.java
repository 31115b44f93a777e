package io.fibflow.topology.internals;

import io.fibflow.avro.ChildFailurePolicy;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.TaskStateRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The task state machine of docs/states.md as one pure function {@code (state, event) → outcome}.
 *
 * <p>Rules applied before the table: an unknown event type is ignored (rule 3); with a state,
 * an event of an older epoch is fenced (rule 1) and a repeat of (epoch, type) is a duplicate
 * (rule 2; PROGRESS, CHECKPOINT and REJECTED are recorded every time); SUCCEEDED and CANCELLED
 * accept nothing (rule 5); any pair not in the table is illegal (rule 4). Nothing is ever
 * thrown: a malformed event is an {@link Verdict#ILLEGAL} outcome, and the caller logs and
 * counts it. Fenced, duplicate and illegal events bump the state's counters and change nothing
 * else.
 */
public final class Transition {

    private Transition() {
    }

    /**
     * Applies one event.
     *
     * @param current the task's state, or null when the topology has not seen the task
     * @param event   the event; null or malformed events are illegal
     */
    public static Outcome apply(TaskStateRecord current, TaskEvent event) {
        try {
            return applyChecked(current, event);
        } catch (RuntimeException malformed) {
            return rejected(current, Verdict.ILLEGAL, "malformed event: " + malformed);
        }
    }

    private static Outcome applyChecked(TaskStateRecord current, TaskEvent e) {
        if (e == null || e.getTaskId() == null || e.getTime() == null) {
            return rejected(current, Verdict.ILLEGAL, "event without task id or time: " + e);
        }
        TaskEventType type = e.getType();
        if (type == null || type == TaskEventType.UNKNOWN) {
            return new Outcome(current, Verdict.IGNORED_UNKNOWN, "unknown event type");
        }
        if (current == null) {
            return switch (type) {
                case CREATED -> new Outcome(create(e, TaskStatus.PENDING), Verdict.APPLIED, null);   // row 1
                case STARTED -> new Outcome(create(e, TaskStatus.RUNNING), Verdict.APPLIED, null);   // row 2
                default -> new Outcome(null, Verdict.ILLEGAL, type + " for a task with no state");
            };
        }
        if (e.getEpoch() < current.getEpoch()) {
            return rejected(current, Verdict.FENCED,
                    type + " of epoch " + e.getEpoch() + " < current epoch " + current.getEpoch());
        }
        boolean newEpoch = e.getEpoch() > current.getEpoch();
        boolean repeatable = TransitionTable.REPEATABLE.contains(type);
        if (!newEpoch && !repeatable && current.getAppliedTypes().contains(type)) {
            return rejected(current, Verdict.DUPLICATE, type + " of epoch " + e.getEpoch() + " already applied");
        }
        TaskStatus from = current.getStatus();
        TaskStatus next;
        if (repeatable && type != TaskEventType.REJECTED && from != TaskStatus.RUNNING && !newEpoch
                && current.getAppliedTypes().contains(TaskEventType.STARTED)) {
            // A report of this run re-delivered after the run moved on (a PROGRESS after SUSPENDED or SUCCEEDED).
            return rejected(current, Verdict.DUPLICATE, "late " + type + " of epoch " + e.getEpoch() + " in " + from);
        }
        if (type == TaskEventType.REJECTED) {
            next = from;                                                                        // row 25
        } else if (from == TaskStatus.SUCCEEDED || from == TaskStatus.CANCELLED) {
            return rejected(current, Verdict.ILLEGAL, from + " is terminal and accepts no " + type);
        } else {
            next = TransitionTable.next(from, type);
            if (next == null) {
                return rejected(current, Verdict.ILLEGAL, "no transition from " + from + " on " + type);
            }
        }
        return new Outcome(advance(current, e, next, newEpoch && type != TaskEventType.REJECTED), Verdict.APPLIED, null);
    }

    private static TaskStateRecord create(TaskEvent e, TaskStatus status) {
        Task task = e.getTask();
        List<TaskEventType> applied = new ArrayList<>();
        applied.add(e.getType());
        TaskStateRecord.Builder b = TaskStateRecord.newBuilder()
                .setTaskId(e.getTaskId())
                .setStatus(status)
                .setEpoch(e.getEpoch())
                .setStage(e.getStage())
                .setAttempt(e.getAttempt())
                .setTask(task)
                .setSnapshotAt(task == null ? 0 : millis(e))
                .setCreatedAt(task == null ? millis(e) : task.getCreatedAt().toEpochMilli())
                .setUpdatedAt(millis(e))
                .setAppliedTypes(applied)
                .setEventCount(1);
        identity(b, e);
        return b.build();
    }

    private static TaskStateRecord advance(TaskStateRecord current, TaskEvent e, TaskStatus next, boolean newEpoch) {
        TaskEventType type = e.getType();
        TaskStateRecord.Builder b = TaskStateRecord.newBuilder(current).setStatus(next);
        List<TaskEventType> applied = new ArrayList<>(newEpoch ? List.of() : current.getAppliedTypes());
        if (newEpoch) {
            b.setEpoch(e.getEpoch());
        }
        if (!TransitionTable.REPEATABLE.contains(type)) {
            applied.add(type);
        }
        b.setAppliedTypes(applied);
        if (type != TaskEventType.REJECTED) {
            b.setStage(e.getStage()).setAttempt(e.getAttempt());
            identity(b, e);
        }
        // A late duplicate CHECKPOINT must not replace a newer snapshot (rule 2 records it anyway).
        if (e.getTask() != null && type != TaskEventType.REJECTED
                && (type != TaskEventType.CHECKPOINT || millis(e) >= current.getSnapshotAt())) {
            b.setTask(e.getTask()).setSnapshotAt(Math.max(millis(e), current.getSnapshotAt()));
        }
        switch (type) {
            case SUCCEEDED -> b.setResultPayload(e.getResultPayload());
            case FAILED, TIMED_OUT, PERMANENTLY_FAILED, DEAD_LETTERED -> {
                if (e.getError() != null) {
                    b.setLastError(e.getError());
                }
            }
            case PROGRESS -> {
                if (millis(e) >= current.getProgressAt()) {
                    b.setProgress(e.getProgress()).setProgressAt(millis(e));
                }
            }
            case SUSPENDED -> b.setSuspendReason(e.getSuspendReason())
                    .setChildIds(new ArrayList<>(e.getChildIds()))
                    .setChildFailurePolicy(policy(e.getChildFailurePolicy()));
            case RETRY_SCHEDULED -> b.setDueTime(e.getDueTime() == null ? null : e.getDueTime().toEpochMilli());
            case STARTED, RESUMED, RECOVERED -> b.setDueTime(null).setSuspendReason(null);
            default -> {
            }
        }
        return b.setUpdatedAt(Math.max(current.getUpdatedAt(), millis(e)))
                .setEventCount(current.getEventCount() + 1)
                .build();
    }

    /** Identity fields come from the event when it names them, else from its Task snapshot. */
    private static void identity(TaskStateRecord.Builder b, TaskEvent e) {
        Task t = e.getTask();
        b.setName(pick(e.getName(), t == null ? null : t.getName(), b.getName()));
        b.setCapability(pick(e.getCapability(), t == null ? null : t.getCapability(), b.getCapability()));
        b.setTag(pick(e.getTag(), t == null ? null : t.getTag(), b.getTag()));
        b.setParentId(pick(e.getParentId(), t == null ? null : t.getParentId(), b.getParentId()));
        b.setRootId(pick(e.getRootId(), t == null ? null : t.getRootId(), b.getRootId()));
        b.setParentStage(pick(e.getParentStage(), t == null ? null : t.getParentStage(), b.getParentStage()));
        b.setParentEpoch(pick(e.getParentEpoch(), t == null ? null : t.getParentEpoch(), b.getParentEpoch()));
    }

    private static long millis(TaskEvent e) {
        return e.getTime().toEpochMilli();
    }

    private static <T> T pick(T fromEvent, T fromTask, T existing) {
        return fromEvent != null ? fromEvent : fromTask != null ? fromTask : existing;
    }

    /** UNKNOWN (a policy from a newer writer) reads as FAIL_PARENT, as TaskEvent.avsc says. */
    static ChildFailurePolicy policy(ChildFailurePolicy p) {
        return p == ChildFailurePolicy.TOLERATE ? ChildFailurePolicy.TOLERATE : ChildFailurePolicy.FAIL_PARENT;
    }

    private static Outcome rejected(TaskStateRecord current, Verdict verdict, String reason) {
        if (current == null) {
            return new Outcome(null, verdict, reason);
        }
        TaskStateRecord.Builder b = TaskStateRecord.newBuilder(current);
        switch (verdict) {
            case DUPLICATE -> b.setDuplicates(current.getDuplicates() + 1);
            case FENCED -> b.setFenced(current.getFenced() + 1);
            default -> b.setIllegal(current.getIllegal() + 1);
        }
        return new Outcome(b.build(), verdict, reason);
    }
}
