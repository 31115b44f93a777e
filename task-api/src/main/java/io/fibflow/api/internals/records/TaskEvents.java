package io.fibflow.api.internals.records;

import io.fibflow.api.TaskIds;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskError;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

/**
 * Builds {@link TaskEvent}s for a task: every event carries the task's identity, stage, attempt,
 * epoch, indexing fields and workflow links, so that the topology never needs a lookup.
 */
public final class TaskEvents {

    /** Stack traces are cut here so that one failure cannot push an event past the size limit. */
    public static final int MAX_STACK_CHARS = 8 * 1024;

    private TaskEvents() {
    }

    /** An event of {@code type} for {@code task}, written by {@code writerId} at {@code now}. */
    public static TaskEvent.Builder of(Task task, TaskEventType type, String writerId, Instant now) {
        return TaskEvent.newBuilder()
                .setEventId(TaskIds.newTaskId())
                .setTaskId(task.getId())
                .setType(type)
                .setTime(now)
                .setEpoch(task.getEpoch())
                .setAttempt(task.getAttempt())
                .setStage(task.getStage())
                .setName(task.getName())
                .setCapability(task.getCapability())
                .setTag(task.getTag())
                .setWorkerId(writerId)
                .setParentId(task.getParentId())
                .setRootId(task.getRootId())
                .setParentStage(task.getParentStage())
                .setParentEpoch(task.getParentEpoch());
    }

    /** A CREATED event carrying the full task (DESIGN §3). */
    public static TaskEvent created(Task task, String writerId, Instant now) {
        return of(task, TaskEventType.CREATED, writerId, now).setTask(task).setDueTime(task.getNotBefore()).build();
    }

    /** A {@link TaskError} from a throwable: its type, message and a bounded stack trace. */
    public static TaskError error(String type, Throwable failure, boolean retryable) {
        return TaskError.newBuilder().setType(type).setMessage(failure == null ? null : failure.getMessage())
                .setStack(failure == null ? null : stackOf(failure)).setRetryable(retryable).build();
    }

    public static TaskError error(String type, String message, boolean retryable) {
        return TaskError.newBuilder().setType(type).setMessage(message).setRetryable(retryable).build();
    }

    static String stackOf(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        String s = out.toString();
        return s.length() <= MAX_STACK_CHARS ? s : s.substring(0, MAX_STACK_CHARS) + "\n\t... (truncated)";
    }
}
