package io.fibflow.topology.internals;

import io.fibflow.api.TaskIds;
import io.fibflow.api.internals.records.TaskEvents;
import io.fibflow.avro.ChildResult;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskCommand;
import io.fibflow.avro.TaskCommandType;
import io.fibflow.avro.TaskError;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.FibflowStores;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates task-commands against the task's state (DESIGN §6) and turns them into events:
 * RESUME (SUSPENDED → re-published at stage + 1), CANCEL (PENDING, SUSPENDED, RETRY_SCHEDULED or
 * RUNNING → CANCELLED, a task-cancellations record, and CANCEL for its unfinished children),
 * REDRIVE (PERMANENTLY_FAILED → re-published with a fresh attempt budget). Anything else is a
 * REJECTED event naming the reason. The state itself changes only when those events come back
 * through task-events, so there is one writer of task-state.
 */
public final class CommandProcessor implements Processor<String, TaskCommand, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    /** Metadata key marking a forwarded TaskCommand as a task-cancellations record. */
    public static final String ROUTE = "fibflow.route";
    public static final String ROUTE_CANCELLATIONS = "task-cancellations";
    /** requestedBy prefix of the CANCEL commands a cancel cascades to children. */
    static final String CASCADE = "cascade:";

    private static final Set<TaskStatus> TERMINAL = EnumSet.of(TaskStatus.SUCCEEDED, TaskStatus.CANCELLED,
            TaskStatus.PERMANENTLY_FAILED);

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, TaskStateRecord> states;

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.states = context.getStateStore(FibflowStores.TASK_STATE);
    }

    @Override
    public void process(Record<String, TaskCommand> record) {
        TaskCommand command = record.value();
        if (command == null || command.getTaskId() == null) {
            return;
        }
        TaskStateRecord state = states.get(command.getTaskId());
        long time = record.timestamp();
        boolean cascade = command.getRequestedBy() != null && command.getRequestedBy().startsWith(CASCADE);
        if (state == null) {
            if (!cascade) {
                reject(command, null, "unknown task " + command.getTaskId(), time);
            }
            return;
        }
        switch (command.getType()) {
            case RESUME -> resume(command, state, time);
            case CANCEL -> cancel(command, state, cascade, time);
            case REDRIVE -> redrive(command, state, time);
            default -> reject(command, state, CommandRules.refusal(command.getType(), state.getStatus(),
                    state.getTaskId()).orElseThrow(), time);
        }
    }

    private void resume(TaskCommand command, TaskStateRecord state, long time) {
        Optional<String> refusal = CommandRules.refusal(command.getType(), state.getStatus(), state.getTaskId());
        if (refusal.isPresent() || state.getTask() == null) {
            reject(command, state, refusal.orElse("task " + state.getTaskId() + " has no Task snapshot to resume"), time);
            return;
        }
        Task snapshot = state.getTask();
        Task.Builder next = Task.newBuilder(snapshot).setStage(state.getStage() + 1).setEpoch(state.getEpoch() + 1)
                .setAttempt(1).setChildResults(List.of());
        if (command.getContext() != null) {
            next.setContext(command.getContext());
        }
        if (command.getPayload() != null) {
            // The resume input reaches the next stage as its one "child" result.
            next.setChildResults(List.of(ChildResult.newBuilder().setChildId(command.getCommandId()).setName("resume")
                    .setStatus(TaskStatus.SUCCEEDED).setResultPayload(command.getPayload()).build()));
        }
        Task resumed = next.build();
        context.forward(new Record<>(resumed.getId(), resumed, time));
        context.forward(new Record<>(resumed.getId(), event(resumed, TaskEventType.RESUMED, command, time)
                .setTask(resumed).build(), time));
    }

    private void cancel(TaskCommand command, TaskStateRecord state, boolean cascade, long time) {
        Optional<String> refusal = CommandRules.refusal(command.getType(), state.getStatus(), state.getTaskId());
        if (refusal.isPresent()) {
            if (!cascade) {
                reject(command, state, refusal.get(), time);
            }
            return;
        }
        Task snapshot = state.getTask();
        TaskEvent.Builder cancelled = snapshot != null ? event(snapshot, TaskEventType.CANCELLED, command, time)
                .setEpoch(state.getEpoch()).setStage(state.getStage()).setAttempt(state.getAttempt())
                : bareEvent(state, TaskEventType.CANCELLED, command, time);
        context.forward(new Record<>(state.getTaskId(), cancelled.build(), time));
        TaskCommand marker = TaskCommand.newBuilder(command).setMetadata(Map.of(ROUTE, ROUTE_CANCELLATIONS)).build();
        context.forward(new Record<>(state.getTaskId(), marker, time));
        for (String child : state.getChildIds()) {
            TaskCommand childCancel = TaskCommand.newBuilder().setCommandId(id(command, "cascade-" + child))
                    .setTaskId(child).setType(TaskCommandType.CANCEL).setTime(Instant.ofEpochMilli(time))
                    .setRequestedBy(CASCADE + state.getTaskId()).setReason("parent " + state.getTaskId() + " cancelled")
                    .build();
            context.forward(new Record<>(child, childCancel, time));
        }
        LOG.info("task {} cancelled by command {} ({} children cascaded)", state.getTaskId(), command.getCommandId(),
                state.getChildIds().size());
    }

    private void redrive(TaskCommand command, TaskStateRecord state, long time) {
        Optional<String> refusal = CommandRules.refusal(command.getType(), state.getStatus(), state.getTaskId());
        if (refusal.isPresent() || state.getTask() == null) {
            reject(command, state, refusal.orElse("task " + state.getTaskId() + " has no Task snapshot to redrive"), time);
            return;
        }
        Task again = Task.newBuilder(state.getTask()).setStage(state.getStage()).setEpoch(state.getEpoch() + 1)
                .setAttempt(1).build();
        context.forward(new Record<>(again.getId(), again, time));
        context.forward(new Record<>(again.getId(), event(again, TaskEventType.RECOVERED, command, time)
                .setTask(again).build(), time));
    }

    private void reject(TaskCommand command, TaskStateRecord state, String reason, long time) {
        LOG.info("command {} ({}) for task {} rejected: {}", command.getCommandId(), command.getType(),
                command.getTaskId(), reason);
        TaskError error = TaskError.newBuilder().setType("COMMAND_REJECTED").setMessage(reason).setRetryable(false).build();
        TaskEvent.Builder rejected = state == null
                ? TaskEvent.newBuilder().setEventId(id(command, "REJECTED")).setTaskId(command.getTaskId())
                        .setType(TaskEventType.REJECTED).setTime(Instant.ofEpochMilli(time)).setWorkerId(StageCompletion.WRITER)
                : bareEvent(state, TaskEventType.REJECTED, command, time);
        context.forward(new Record<>(command.getTaskId(), rejected.setError(error).setCommandId(command.getCommandId())
                .setMetadata(Map.of("command", command.getType().name())).build(), time));
    }

    private static TaskEvent.Builder event(Task task, TaskEventType type, TaskCommand command, long time) {
        return TaskEvents.of(task, type, StageCompletion.WRITER, Instant.ofEpochMilli(time))
                .setEventId(id(command, type.name())).setCommandId(command.getCommandId());
    }

    private static TaskEvent.Builder bareEvent(TaskStateRecord state, TaskEventType type, TaskCommand command, long time) {
        return TaskEvent.newBuilder().setEventId(id(command, type.name())).setTaskId(state.getTaskId()).setType(type)
                .setTime(Instant.ofEpochMilli(time)).setEpoch(state.getEpoch()).setStage(state.getStage())
                .setAttempt(state.getAttempt()).setName(state.getName()).setCapability(state.getCapability())
                .setTag(state.getTag()).setParentId(state.getParentId()).setRootId(state.getRootId())
                .setWorkerId(StageCompletion.WRITER).setCommandId(command.getCommandId());
    }

    /** Deterministic ids: a command re-processed after an aborted transaction emits the same events. */
    private static String id(TaskCommand command, String what) {
        return TaskIds.idempotentId("fibflow-topology/command/" + command.getCommandId() + "/" + what);
    }

    static boolean isTerminal(TaskStatus status) {
        return TERMINAL.contains(status);
    }
}
