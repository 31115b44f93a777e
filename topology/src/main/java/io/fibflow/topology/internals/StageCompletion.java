package io.fibflow.topology.internals;

import io.fibflow.api.TaskIds;
import io.fibflow.api.topics.TopicNames;
import io.fibflow.avro.ChildResult;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskError;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.JoinHeader;
import io.fibflow.avro.store.ParentJoinRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when every child of a suspended stage is terminal: the parent is re-published
 * at stage + 1 and epoch + 1 with its children's results and RESUMED is emitted, or the parent
 * is permanently failed ({@code CHILD_FAILED}, {@code RESULTS_TOO_LARGE}). The stage's child and
 * snapshot rows are then removed; its header stays, marked done, so that late duplicates are
 * recognised.
 */
public final class StageCompletion {

    /** Written as the worker id of the events the topology emits. */
    public static final String WRITER = "fibflow-topology";

    private static final Logger LOG = LoggerFactory.getLogger(StageCompletion.class);

    private final TopicNames names;
    private final Serializer<Task> taskSerializer;
    private final Serializer<TaskEvent> eventSerializer;
    private final int maxValueBytes;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ParentJoinRow> store;

    public StageCompletion(TopicNames names, Serializer<Task> taskSerializer, Serializer<TaskEvent> eventSerializer,
                           int maxValueBytes) {
        this.names = names;
        this.taskSerializer = taskSerializer;
        this.eventSerializer = eventSerializer;
        this.maxValueBytes = maxValueBytes;
    }

    void init(ProcessorContext<String, SpecificRecord> context, KeyValueStore<String, ParentJoinRow> store) {
        this.context = context;
        this.store = store;
    }

    void complete(String parentId, long epoch, JoinHeader header, long time) {
        List<String> keys = new ArrayList<>();
        List<ChildResult> results = new ArrayList<>();
        try (KeyValueIterator<String, ParentJoinRow> rows =
                     store.prefixScan(JoinKeys.childPrefix(parentId, epoch), new StringSerializer())) {
            while (rows.hasNext()) {
                KeyValue<String, ParentJoinRow> row = rows.next();
                keys.add(row.key);
                if (row.value.getChild() != null && row.value.getChild().getIndex() >= 0
                        && row.value.getChild().getOutcome() != null) {
                    results.add(row.value.getChild().getOutcome());
                }
            }
        }
        results.sort(Comparator.comparingInt(ChildResult::getIndex));
        String snapshotKey = JoinKeys.snapshot(parentId, epoch);
        ParentJoinRow snapshotRow = store.get(snapshotKey);
        Task snapshot = snapshotRow == null ? null : snapshotRow.getSnapshot();
        if (snapshot == null) {
            LOG.error("parent {} epoch {} has no Task snapshot in its SUSPENDED event; it cannot be resumed", parentId, epoch);
            fail(parentId, epoch, header.getParentStage(), null, error("MISSING_TASK_SNAPSHOT",
                    "the SUSPENDED event of epoch " + epoch + " carried no Task", null), time);
        } else if (ParentJoinProcessor.tolerates(header)) {
            resume(snapshot, epoch, results, time);
        } else {
            ChildResult failed = results.stream().filter(r -> r.getStatus() != TaskStatus.SUCCEEDED).findFirst().orElseThrow();
            TaskError cause = failed.getError();
            String message = "child " + failed.getChildId() + " (" + failed.getName() + ") ended " + failed.getStatus()
                    + (cause == null ? "" : ": " + cause.getType() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            fail(parentId, epoch, snapshot.getStage(), snapshot,
                    error("CHILD_FAILED", message, cause == null ? null : cause.getStack()), time);
        }
        keys.forEach(store::delete);
        store.delete(snapshotKey);
    }

    private void resume(Task snapshot, long epoch, List<ChildResult> results, long time) {
        Task resumed = Task.newBuilder(snapshot)
                .setStage(snapshot.getStage() + 1)
                .setEpoch(epoch + 1)
                .setAttempt(1)
                .setChildResults(results)
                .build();
        TaskEvent event = event(snapshot, TaskEventType.RESUMED, epoch + 1, resumed.getStage(), time)
                .setTask(resumed)
                .build();
        // Serialized for the topics they go to: a registry serde names its subject after the topic.
        int taskBytes = taskSerializer.serialize(names.tasks(snapshot.getCapability()), resumed).length;
        int eventBytes = eventSerializer.serialize(names.events(), event).length;
        if (Math.max(taskBytes, eventBytes) > maxValueBytes) {
            fail(snapshot.getId(), epoch, snapshot.getStage(), snapshot, error("RESULTS_TOO_LARGE",
                    "the resumed task with " + results.size() + " child results is " + Math.max(taskBytes, eventBytes)
                            + " bytes, over the limit of " + maxValueBytes, null), time);
            return;
        }
        LOG.debug("resuming parent {} at stage {} epoch {} with {} results", snapshot.getId(), resumed.getStage(), epoch + 1, results.size());
        context.forward(new Record<>(snapshot.getId(), resumed, time));
        context.forward(new Record<>(snapshot.getId(), event, time));
    }

    private void fail(String parentId, long epoch, int stage, Task snapshot, TaskError error, long time) {
        LOG.info("parent {} epoch {} permanently failed: {}: {}", parentId, epoch, error.getType(), error.getMessage());
        TaskEvent.Builder event = snapshot != null ? event(snapshot, TaskEventType.PERMANENTLY_FAILED, epoch, stage, time)
                : TaskEvent.newBuilder().setEventId(eventId(parentId, epoch, TaskEventType.PERMANENTLY_FAILED))
                        .setTaskId(parentId).setType(TaskEventType.PERMANENTLY_FAILED).setTime(Instant.ofEpochMilli(time))
                        .setEpoch(epoch).setStage(stage).setWorkerId(WRITER);
        context.forward(new Record<>(parentId, event.setError(error).build(), time));
    }

    private static TaskEvent.Builder event(Task snapshot, TaskEventType type, long epoch, int stage, long time) {
        return TaskEvent.newBuilder()
                .setEventId(eventId(snapshot.getId(), epoch, type))
                .setTaskId(snapshot.getId())
                .setType(type)
                .setTime(Instant.ofEpochMilli(time))
                .setEpoch(epoch)
                .setAttempt(type == TaskEventType.RESUMED ? 1 : snapshot.getAttempt())
                .setStage(stage)
                .setName(snapshot.getName())
                .setCapability(snapshot.getCapability())
                .setTag(snapshot.getTag())
                .setWorkerId(WRITER)
                .setParentId(snapshot.getParentId())
                .setRootId(snapshot.getRootId())
                .setParentStage(snapshot.getParentStage())
                .setParentEpoch(snapshot.getParentEpoch());
    }

    /** Deterministic, so that a re-processed stage (after an aborted transaction) emits the same event id. */
    private static String eventId(String taskId, long epoch, TaskEventType type) {
        return TaskIds.idempotentId("fibflow-topology/" + taskId + "/" + epoch + "/" + type.name());
    }

    private static TaskError error(String type, String message, String stack) {
        return TaskError.newBuilder().setType(type).setMessage(message).setStack(stack).setRetryable(false).build();
    }
}
