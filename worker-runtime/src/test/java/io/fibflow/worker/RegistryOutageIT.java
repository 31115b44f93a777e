package io.fibflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.api.TaskOutcome;
import io.fibflow.api.codec.AvroPayloadCodec;
import io.fibflow.api.codec.PayloadCodecs;
import io.fibflow.api.registry.RegistryUnavailableException;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEventType;
import io.fibflow.embedded.EmbeddedSchemaRegistry;
import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.junit.FibflowKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry outage is not a poison record (DESIGN §5): tasks whose writer schema the worker has
 * not seen wait while the registry is down for seconds, retried again and again, and run when it
 * is back; nothing is lost or dead-lettered.
 */
@ExtendWith(FibflowKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RegistryOutageIT {

    private static final Logger log = LoggerFactory.getLogger(RegistryOutageIT.class);
    private static final Duration MIN_OUTAGE = Duration.ofSeconds(3);
    private static final int MIN_RETRIES = 5;

    @Test
    void shouldLoseAndDeadLetterNothingWhenTheRegistryIsDownForSeconds(KafkaEndpoints kafka) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String schemasTopic = "_schemas-outage-" + UUID.randomUUID();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers(kafka.bootstrapServers())
                .port(port).topic(schemasTopic).build().start();
        // The worker's own registry client, counting the look-ups the outage makes fail: each is one
        // retry of the paused partition, a signal that needs no log scraping.
        AtomicInteger failedLookups = new AtomicInteger();
        try (SchemaRegistryClient rest = new RestSchemaRegistryClient(SchemaRegistryConfig.builder().url(registry.url())
                        .maxAttempts(2).build());
                Pool pool = Pool.withRegistry(kafka, registry.url(), "default")) {
            SchemaRegistryClient counting = countingFailedLookups(rest, failedLookups);
            Map<String, Object> props = pool.workerProps("default");
            props.put(WorkerConfig.REGISTRY_RETRY_BACKOFF_MS, 300L);
            pool.worker(new Worker(new WorkerConfig(props), counting, Clock.systemUTC(),
                    PayloadCodecs.of(new AvroPayloadCodec(counting)))).use("echo", ctx -> TaskOutcome.done()).start();
            String warmup = pool.publish(List.of(Pool.task("echo", "default", "{}")), 1).get(0);
            Pool.await("warm-up task", Duration.ofSeconds(60), () -> pool.events().count(TaskEventType.SUCCEEDED,
                    e -> e.getTaskId().equals(warmup)) == 1);

            // A producer evolved the Task schema (a new field with a default): an id the worker has not seen.
            String topic = pool.plan.names().tasks("default");
            Schema evolved = evolvedTaskSchema();
            int newId = pool.registry.register(topic + "-value", evolved);
            int lookupsBefore = failedLookups.get();
            long down = System.nanoTime();
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

            // Stay down for seconds, and until the worker has demonstrably gone back to the registry again and again.
            Pool.await("an outage of " + MIN_OUTAGE + " with " + MIN_RETRIES + " failed look-ups", Duration.ofSeconds(60),
                    () -> System.nanoTime() - down >= MIN_OUTAGE.toNanos()
                            && failedLookups.get() - lookupsBefore >= MIN_RETRIES);
            // Still alive that late into the outage: the healthy partition still flows.
            String stillFlowing = pool.publish(List.of(Pool.task("echo", "default", "{}")), 1).get(0);
            Pool.await("a healthy-partition task late in the outage", Duration.ofSeconds(60),
                    () -> pool.events().count(TaskEventType.SUCCEEDED, e -> e.getTaskId().equals(stillFlowing)) == 1);
            assertEquals(0, pool.events().count(TaskEventType.STARTED, e -> waiting.contains(e.getTaskId())),
                    "nothing on the blocked partition ran without its schema");
            assertEquals(0, pool.events().of(TaskEventType.DEAD_LETTERED).size(), "nothing dead-lettered during it");

            EmbeddedSchemaRegistry back = EmbeddedSchemaRegistry.builder().bootstrapServers(kafka.bootstrapServers())
                    .port(port).topic(schemasTopic).build().start(); // the outage ends
            long outageMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
            int retries = failedLookups.get() - lookupsBefore;
            try {
                assertTrue(outageMs >= MIN_OUTAGE.toMillis(), "the registry was down only " + outageMs + " ms");
                Pool.await("the 20 waiting tasks", Duration.ofSeconds(60), () -> pool.events()
                        .count(TaskEventType.SUCCEEDED, e -> waiting.contains(e.getTaskId())) == 20);
                for (String id : waiting) {
                    assertEquals(1, pool.events().count(TaskEventType.STARTED, e -> e.getTaskId().equals(id)),
                            "task " + id + " ran once");
                    assertEquals(0, pool.events().count(TaskEventType.FAILED, e -> e.getTaskId().equals(id)));
                }
                assertEquals(0, pool.readToEnd(pool.plan.names().deadLetter(), Duration.ofSeconds(30)).size(),
                        "nothing was dead-lettered");
                assertEquals(0, pool.events().of(TaskEventType.DEAD_LETTERED).size());
                log.info("registry outage of {} ms: {} failed look-ups (retries of the paused partition), "
                        + "20 waiting tasks run after it, nothing dead-lettered", outageMs, retries);
            } finally {
                back.close();
            }
        } finally {
            registry.close();
        }
    }

    /** {@code delegate}, counting the schema look-ups by id that fail because the registry is unreachable. */
    private static SchemaRegistryClient countingFailedLookups(SchemaRegistryClient delegate, AtomicInteger failures) {
        return (SchemaRegistryClient) Proxy.newProxyInstance(SchemaRegistryClient.class.getClassLoader(),
                new Class<?>[] {SchemaRegistryClient.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        if (method.getName().equals("getById") && e.getCause() instanceof RegistryUnavailableException) {
                            failures.incrementAndGet();
                        }
                        throw e.getCause();
                    }
                });
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
