package io.fibflow.topology;

import io.fibflow.avro.ChildFailurePolicy;
import io.fibflow.avro.Payload;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskError;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builders of tasks and events for tests, playing the client and the worker. */
public final class Events {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Events() {
    }

    public static Payload json(String text) {
        return Payload.newBuilder().setEncoding("json/plain")
                .setData(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))).setMetadata(Map.of()).build();
    }

    public static String text(Payload payload) {
        ByteBuffer data = payload.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static Task.Builder task(String id, String name) {
        return Task.newBuilder().setId(id).setName(name).setCapability("default").setPayload(json("{}"))
                .setCreatedAt(T0).setChildResults(List.of()).setTraceHeaders(Map.of());
    }

    /** A child task of {@code parent} at the parent's epoch and stage. */
    public static Task.Builder child(String id, String name, Task parent) {
        return task(id, name).setParentId(parent.getId())
                .setRootId(parent.getRootId() != null ? parent.getRootId() : parent.getId())
                .setParentStage(parent.getStage()).setParentEpoch(parent.getEpoch());
    }

    public static TaskEvent.Builder event(String taskId, TaskEventType type, long epoch) {
        return TaskEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTaskId(taskId).setType(type)
                .setTime(T0).setEpoch(epoch).setChildIds(List.of()).setMetadata(Map.of());
    }

    public static TaskEvent created(Task task) {
        return event(task.getId(), TaskEventType.CREATED, task.getEpoch()).setTask(task).setName(task.getName())
                .setCapability(task.getCapability()).setTag(task.getTag()).setParentId(task.getParentId())
                .setRootId(task.getRootId()).setParentStage(task.getParentStage()).setParentEpoch(task.getParentEpoch())
                .setStage(task.getStage()).build();
    }

    public static TaskEvent started(Task task) {
        return event(task.getId(), TaskEventType.STARTED, task.getEpoch()).setStage(task.getStage())
                .setAttempt(task.getAttempt()).build();
    }

    public static TaskEvent succeeded(Task task, String result) {
        return event(task.getId(), TaskEventType.SUCCEEDED, task.getEpoch()).setStage(task.getStage())
                .setResultPayload(json(result)).build();
    }

    public static TaskEvent permanentlyFailed(Task task, TaskError error) {
        return event(task.getId(), TaskEventType.PERMANENTLY_FAILED, task.getEpoch()).setStage(task.getStage())
                .setError(error).build();
    }

    public static TaskEvent suspended(Task task, List<String> childIds, ChildFailurePolicy policy) {
        return event(task.getId(), TaskEventType.SUSPENDED, task.getEpoch()).setStage(task.getStage())
                .setTask(task).setChildIds(childIds).setChildFailurePolicy(policy).build();
    }

    public static TaskError error(String type, String message, String stack) {
        return TaskError.newBuilder().setType(type).setMessage(message).setStack(stack).setRetryable(false).build();
    }
}
