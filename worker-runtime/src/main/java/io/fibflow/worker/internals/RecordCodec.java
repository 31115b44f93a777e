package io.fibflow.worker.internals;

import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.serde.AvroDeserializer;
import io.fibflow.api.serde.AvroSerializer;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.WorkerStatus;

/**
 * The worker's Avro codecs, sharing one registry client: the consumer reads raw bytes and
 * decodes here, so that a decode failure can be classified (dead-letter or pause) and producers
 * send bytes whose size has been checked.
 */
final class RecordCodec implements AutoCloseable {

    private final AvroSerializer<Task> taskSerializer;
    private final AvroSerializer<TaskEvent> eventSerializer;
    private final AvroDeserializer<Task> taskDeserializer;
    private final AvroSerializer<WorkerStatus> statusSerializer;

    RecordCodec(SchemaRegistryClient registry) {
        this.taskSerializer = new AvroSerializer<>(registry);
        this.eventSerializer = new AvroSerializer<>(registry);
        this.taskDeserializer = new AvroDeserializer<>(Task.class, registry);
        this.statusSerializer = new AvroSerializer<>(registry);
    }

    byte[] status(String topic, WorkerStatus status) {
        return statusSerializer.serialize(topic, status);
    }

    byte[] task(String topic, Task task) {
        return taskSerializer.serialize(topic, task);
    }

    byte[] event(String topic, TaskEvent event) {
        return eventSerializer.serialize(topic, event);
    }

    /** Decodes a task record; throws the serde's typed exceptions (permanent or transient). */
    Task decodeTask(String topic, byte[] bytes) {
        return taskDeserializer.deserialize(topic, bytes);
    }

    @Override
    public void close() {
        // The registry client is owned by the worker; the serde halves hold nothing else.
    }
}
