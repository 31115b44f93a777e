package io.fibflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fibflow.api.TaskOutcome;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEventType;
import io.fibflow.embedded.EmbeddedSchemaRegistry;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A registry outage is not a poison record (DESIGN §5): tasks whose writer schema the worker has
 * not seen wait while the registry is down and run when it is back; nothing is dead-lettered.
 */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RegistryOutageIT {

    @Test
    void shouldPauseAndRetryRatherThanDeadLetterWhileTheRegistryIsDown(KafkaEndpoints kafka) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String schemasTopic = "_schemas-outage-" + UUID.randomUUID();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers(kafka.bootstrapServers())
                .port(port).topic(schemasTopic).build().start();
        try (Pool pool = Pool.withRegistry(kafka, registry.url(), "default")) {
            Map<String, Object> props = pool.workerProps("default");
            props.put(WorkerConfig.REGISTRY_RETRY_BACKOFF_MS, 300L);
            props.put("schema.registry.retry.max.attempts", "2");
            pool.worker(props).use("echo", ctx -> TaskOutcome.done()).start();
            String warmup = pool.publish(List.of(Pool.task("echo", "default", "{}")), 1).get(0);
            Pool.await("warm-up task", Duration.ofSeconds(60), () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(warmup)) == 1);

            // A producer evolved the Task schema (a new field with a default): an id the worker has not seen.
            String topic = pool.plan.names().tasks("default");
            Schema evolved = evolvedTaskSchema();
            int newId = pool.registry.register(topic + "-value", evolved);
            registry.close(); // the outage begins

            List<String> waiting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Task t = Pool.task("echo", "default", "{}");
                waiting.add(t.getId());
                pool.publishRaw(0, t.getId(), wire(newId, evolved, t));
            }
            // Partition 1 keeps flowing with the schema the worker knows: the worker is alive and polling.
            String flowing = pool.publish(List.of(Pool.task("echo", "default", "{}")), 1).get(0);
            Pool.await("the task on the healthy partition", Duration.ofSeconds(60),
                    () -> pool.events().count(TaskEventType.SUCCEEDED, e -> e.getTaskId().equals(flowing)) == 1);
            assertEquals(0, pool.events().count(TaskEventType.SUCCEEDED, e -> waiting.contains(e.getTaskId())));

            EmbeddedSchemaRegistry back = EmbeddedSchemaRegistry.builder().bootstrapServers(kafka.bootstrapServers())
                    .port(port).topic(schemasTopic).build().start(); // the outage ends
            try {
                Pool.await("the 20 waiting tasks", Duration.ofSeconds(60), () -> pool.events()
                        .count(TaskEventType.SUCCEEDED, e -> waiting.contains(e.getTaskId())) == 20);
                assertEquals(0, pool.readAll(pool.plan.names().deadLetter(), 1, Duration.ofSeconds(2)).size(),
                        "nothing was dead-lettered");
                assertEquals(0, pool.events().of(TaskEventType.DEAD_LETTERED).size());
            } finally {
                back.close();
            }
        }
    }

    private static Schema evolvedTaskSchema() {
        Schema current = Task.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("addedByAProducer", SchemaBuilder.builder().stringType(), "A field this worker does not know.", "x"));
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    private static byte[] wire(int schemaId, Schema schema, Task task) throws Exception {
        GenericRecord r = new GenericData.Record(schema);
        for (Schema.Field f : Task.getClassSchema().getFields()) {
            r.put(f.name(), task.get(f.pos()));
        }
        r.put("addedByAProducer", "hello");
        SpecificData model = new SpecificData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema, model).write(r, enc);
        enc.flush();
        return out.toByteArray();
    }
}
