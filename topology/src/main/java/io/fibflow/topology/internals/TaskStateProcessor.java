package io.fibflow.topology.internals;

import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.TaskStateRecord;
import io.fibflow.topology.FibflowStores;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds task-events into the task-state store with {@link Transition}, keeps the index and
 * history stores, and forwards, keyed by parent id, what the parent/child join needs: a
 * parent's applied SUSPENDED with children and a child's applied terminal event.
 */
public final class TaskStateProcessor implements Processor<String, TaskEvent, String, TaskEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(TaskStateProcessor.class);

    /** The terminal events that complete a child for its parent's join. */
    static final Set<TaskEventType> CHILD_TERMINAL =
            Set.of(TaskEventType.SUCCEEDED, TaskEventType.PERMANENTLY_FAILED, TaskEventType.CANCELLED);

    private final int historySize;
    private ProcessorContext<String, TaskEvent> context;
    private KeyValueStore<String, TaskStateRecord> states;
    private KeyValueStore<String, TaskEvent> history;
    private TaskIndexes indexes;

    public TaskStateProcessor(int historySize) {
        this.historySize = historySize;
    }

    /** Every store this processor uses. */
    public static String[] storeNames() {
        String[] indexes = TaskIndexes.storeNames();
        String[] all = new String[indexes.length + 2];
        all[0] = FibflowStores.TASK_STATE;
        all[1] = FibflowStores.HISTORY;
        System.arraycopy(indexes, 0, all, 2, indexes.length);
        return all;
    }

    @Override
    public void init(ProcessorContext<String, TaskEvent> context) {
        this.context = context;
        this.states = context.getStateStore(FibflowStores.TASK_STATE);
        this.history = context.getStateStore(FibflowStores.HISTORY);
        this.indexes = new TaskIndexes(context);
    }

    @Override
    public void process(Record<String, TaskEvent> record) {
        TaskEvent event = record.value();
        if (event == null || event.getTaskId() == null) {
            LOG.warn("ignoring a task-events record without a value or task id (key {})", record.key());
            return;
        }
        String taskId = event.getTaskId();
        if (!taskId.equals(record.key())) {
            // The key decides the partition; a mismatch means a foreign producer keyed it wrongly.
            LOG.warn("task-events record keyed '{}' carries task id {}; folding it under the task id", record.key(), taskId);
        }
        TaskStateRecord before = states.get(taskId);
        Outcome outcome = Transition.apply(before, event);
        if (outcome.state() != null && outcome.state() != before) {
            states.put(taskId, outcome.state());
        }
        switch (outcome.verdict()) {
            case APPLIED -> {
                indexes.update(before, outcome.state());
                appendHistory(outcome.state(), event);
                forwardToJoin(record, outcome.state(), event);
                closeStageIfLeft(record, before, outcome.state(), event);
            }
            case ILLEGAL -> LOG.warn("illegal event {} {} for task {} (epoch {}): {}", event.getEventId(),
                    event.getType(), taskId, event.getEpoch(), outcome.reason());
            default -> LOG.debug("{} event {} for task {}: {}", outcome.verdict(), event.getEventId(), taskId, outcome.reason());
        }
    }

    private void appendHistory(TaskStateRecord state, TaskEvent event) {
        long sequence = state.getEventCount() - 1;
        history.put(FibflowStores.historyKey(state.getTaskId(), sequence), event);
        if (sequence >= historySize) {
            history.delete(FibflowStores.historyKey(state.getTaskId(), sequence - historySize));
        }
    }

    /**
     * A parent that leaves a stage of children some other way than by the join (cancelled, or
     * resumed by command) closes that stage in the join, keyed and ordered like its SUSPENDED, so
     * that its children's late outcomes (a cancel's cascade among them) neither resume nor fail it.
     */
    private void closeStageIfLeft(Record<String, TaskEvent> record, TaskStateRecord before, TaskStateRecord state,
            TaskEvent event) {
        boolean awaitedChildren = before != null && before.getStatus() == TaskStatus.SUSPENDED
                && !before.getChildIds().isEmpty();
        if (awaitedChildren && state.getStatus() != TaskStatus.SUSPENDED) {
            TaskEvent close = TaskEvent.newBuilder(event).setTaskId(state.getTaskId()).setEpoch(before.getEpoch()).build();
            context.forward(record.withKey(state.getTaskId()).withValue(close));
        }
    }

    private void forwardToJoin(Record<String, TaskEvent> record, TaskStateRecord state, TaskEvent event) {
        TaskEventType type = event.getType();
        if (type == TaskEventType.SUSPENDED && !event.getChildIds().isEmpty()) {
            TaskEvent parent = event.getTask() != null ? event
                    : TaskEvent.newBuilder(event).setTask(state.getTask()).build();
            context.forward(record.withKey(state.getTaskId()).withValue(parent));
        } else if (CHILD_TERMINAL.contains(type) && state.getParentId() != null) {
            // Workers may leave the parent fields out of terminal events; the state knows them.
            TaskEvent.Builder child = TaskEvent.newBuilder(event)
                    .setParentId(state.getParentId())
                    .setParentStage(state.getParentStage())
                    .setParentEpoch(state.getParentEpoch())
                    .setName(state.getName());
            if (event.getError() == null && type != TaskEventType.SUCCEEDED) {
                child.setError(state.getLastError());
            }
            context.forward(record.withKey(state.getParentId()).withValue(child.build()));
        }
    }
}
