package io.fibflow.api.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fibflow.api.registry.InMemorySchemaRegistryClient;
import io.fibflow.api.registry.RegistryUnavailableException;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaNotFoundException;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.api.testing.Fixtures;
import io.fibflow.api.testing.StubRegistryServer;
import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AvroSerdeTest {

    private static final String TOPIC = "tasks.default";
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    private AvroSerde<Task> taskSerde(AvroSerdeOptions options) {
        return new AvroSerde<>(Task.class, registry, options);
    }

    @Test
    void shouldRoundTripTaskWithAllNestedRecordsWhenAutoRegistering() {
        AvroSerde<Task> serde = taskSerde(AvroSerdeOptions.defaults());
        Task task = Fixtures.task();

        byte[] bytes = serde.serializer().serialize(TOPIC, task);
        Task back = serde.deserializer().deserialize(TOPIC, bytes);

        assertEquals(task, back);
        assertEquals(2, back.getChildResults().size());
        assertEquals("Boom", back.getChildResults().get(1).getError().getType());
        assertEquals(List.of(TOPIC + "-value"), registry.subjects());
    }

    @Test
    void shouldRoundTripTaskEventWithNestedTaskWhenAutoRegistering() {
        AvroSerde<TaskEvent> serde = new AvroSerde<>(TaskEvent.class, registry);
        TaskEvent event = Fixtures.taskEvent();

        TaskEvent back = serde.deserializer().deserialize("task-events", serde.serializer().serialize("task-events", event));

        assertEquals(event, back);
        assertEquals(Fixtures.task(), back.getTask());
        assertEquals(50.0, back.getProgress().getPercent());
    }

    @Test
    void shouldWriteMagicByteBigEndianIdAndPlainAvroWhenSerializing() throws Exception {
        try (StubRegistryServer stub = new StubRegistryServer()) {
            stub.on("POST", "/subjects/" + TOPIC + "-value/versions",
                    StubRegistryServer.Response.json(200, "{\"id\":16909060}"));
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                    SchemaRegistryConfig.builder().url(stub.baseUri()).build());
            Task task = Fixtures.task();

            byte[] bytes = new AvroSerializer<Task>(client).serialize(TOPIC, task);

            assertEquals(0, bytes[0]);
            assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOfRange(bytes, 1, 5));
            assertArrayEquals(avroBinary(task), Arrays.copyOfRange(bytes, 5, bytes.length),
                    "the body is plain Avro binary of the record");
        }
    }

    @Test
    void shouldNameSubjectAfterTopicWhenStrategyIsTopic() {
        new AvroSerializer<Task>(registry).serialize(TOPIC, Fixtures.task());
        new AvroSerializer<Task>(registry, AvroSerdeOptions.builder().key(true).build()).serialize(TOPIC, Fixtures.task());

        assertEquals(List.of("tasks.default-value", "tasks.default-key"), registry.subjects());
    }

    @Test
    void shouldNameSubjectAfterRecordWhenStrategyIsRecord() {
        AvroSerdeOptions options = AvroSerdeOptions.builder().subjectNameStrategy(SubjectNameStrategy.RECORD).build();
        new AvroSerializer<Task>(registry, options).serialize(TOPIC, Fixtures.task());

        assertEquals(List.of("io.fibflow.avro.Task"), registry.subjects());
    }

    @Test
    void shouldNameSubjectAfterTopicAndRecordWhenStrategyIsTopicRecord() {
        AvroSerdeOptions options = AvroSerdeOptions.builder().subjectNameStrategy(SubjectNameStrategy.TOPIC_RECORD).build();
        new AvroSerializer<Task>(registry, options).serialize(TOPIC, Fixtures.task());

        assertEquals(List.of("tasks.default-io.fibflow.avro.Task"), registry.subjects());
    }

    @Test
    void shouldParseStrategyNamesWhenGivenOurSpellingOrConfluentClassNames() {
        assertEquals(SubjectNameStrategy.TOPIC_RECORD, SubjectNameStrategy.parse("topic-record"));
        assertEquals(SubjectNameStrategy.RECORD, SubjectNameStrategy.parse("RECORD"));
        assertEquals(SubjectNameStrategy.TOPIC_RECORD,
                SubjectNameStrategy.parse("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SubjectNameStrategy.parse("by-topic"));
        assertTrue(e.getMessage().contains("by-topic"), e.getMessage());
    }

    @Test
    void shouldThrowSchemaNotFoundWhenAutoRegisterIsOffAndTheSchemaIsMissing() {
        AvroSerde<Task> serde = taskSerde(AvroSerdeOptions.builder().autoRegisterSchemas(false).build());

        assertThrows(SchemaNotFoundException.class, () -> serde.serializer().serialize(TOPIC, Fixtures.task()));
        assertTrue(registry.subjects().isEmpty(), "nothing was registered");
    }

    @Test
    void shouldUseTheRegisteredIdWhenAutoRegisterIsOffAndTheSchemaExists() {
        int id = registry.register(TOPIC + "-value", Task.getClassSchema());
        AvroSerde<Task> serde = taskSerde(AvroSerdeOptions.builder().autoRegisterSchemas(false).build());

        byte[] bytes = serde.serializer().serialize(TOPIC, Fixtures.task());

        assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt());
        assertEquals(Fixtures.task(), serde.deserializer().deserialize(TOPIC, bytes));
    }

    @Test
    void shouldWriteWithTheLatestSchemaWhenUseLatestVersionIsOn() throws Exception {
        registry.register(TOPIC + "-value", Task.getClassSchema());
        Schema newer = withField(Task.getClassSchema(), "region", "string", "eu");
        int newerId = registry.register(TOPIC + "-value", newer);
        AvroSerde<Task> serde = taskSerde(AvroSerdeOptions.builder().autoRegisterSchemas(false).useLatestVersion(true).build());

        byte[] bytes = serde.serializer().serialize(TOPIC, Fixtures.task());

        assertEquals(newerId, ByteBuffer.wrap(bytes, 1, 4).getInt());
        GenericRecord asNewer = new GenericDatumReader<GenericRecord>(newer)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertEquals("eu", asNewer.get("region").toString());
        assertEquals(Fixtures.task(), serde.deserializer().deserialize(TOPIC, bytes));
    }

    @Test
    void shouldReadOlderWriterSchemaIntoTheCurrentClassWithDefaultsWhenAFieldWasAddedSince() throws Exception {
        Schema older = withoutField(Task.getClassSchema(), "priority");
        int olderId = registry.register("legacy-value", older);
        Task task = Fixtures.task();
        assertEquals(7, task.getPriority());
        byte[] olderBytes = encodeAs(task, older);
        byte[] framed = ByteBuffer.allocate(5 + olderBytes.length).put((byte) 0).putInt(olderId).put(olderBytes).array();

        Task back = new AvroDeserializer<>(Task.class, registry).deserialize("legacy", framed);

        assertEquals(0, back.getPriority(), "the reader's default fills the missing field");
        task.setPriority(0);
        assertEquals(task, back);
    }

    @Test
    void shouldThrowWireFormatExceptionNamingTheByteWhenMagicByteIsNotZero() {
        byte[] bytes = taskSerde(AvroSerdeOptions.defaults()).serializer().serialize(TOPIC, Fixtures.task());
        bytes[0] = 0x7b;

        WireFormatException e = assertThrows(WireFormatException.class,
                () -> new AvroDeserializer<>(Task.class, registry).deserialize(TOPIC, bytes));

        assertTrue(e.getMessage().contains("0x7b"), e.getMessage());
        assertTrue(UndecodableRecordException.isPermanent(e));
    }

    @Test
    void shouldThrowWireFormatExceptionWhenFewerThanFiveBytes() {
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> new AvroDeserializer<>(Task.class, registry).deserialize(TOPIC, new byte[] {0, 0, 1}));

        assertTrue(e.getMessage().contains("3 byte"), e.getMessage());
    }

    @Test
    void shouldThrowCorruptPayloadWhenTheAvroBodyIsTruncated() {
        byte[] bytes = taskSerde(AvroSerdeOptions.defaults()).serializer().serialize(TOPIC, Fixtures.task());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);

        CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
                () -> new AvroDeserializer<>(Task.class, registry).deserialize(TOPIC, truncated));

        assertTrue(UndecodableRecordException.isPermanent(e));
        assertFalse(e.isTransient());
    }

    @Test
    void shouldThrowSchemaNotFoundClassifiedPermanentWhenTheIdIsUnknown() {
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 'x'};

        SchemaNotFoundException e = assertThrows(SchemaNotFoundException.class,
                () -> new AvroDeserializer<>(Task.class, registry).deserialize(TOPIC, bytes));

        assertEquals(12345, e.schemaId().getAsInt());
        assertTrue(UndecodableRecordException.isPermanent(new RuntimeException("wrapped", e)));
    }

    @Test
    void shouldThrowIncompatibleWriterSchemaWhenTheTopicCarriesAnotherType() {
        byte[] eventBytes = new AvroSerializer<TaskEvent>(registry).serialize(TOPIC, Fixtures.taskEvent());

        IncompatibleWriterSchemaException e = assertThrows(IncompatibleWriterSchemaException.class,
                () -> new AvroDeserializer<>(Task.class, registry).deserialize(TOPIC, eventBytes));

        assertTrue(UndecodableRecordException.isPermanent(e));
    }

    @Test
    void shouldThrowTransientRegistryUnavailableWhenTheRegistryIsDown() throws Exception {
        RestSchemaRegistryClient down = new RestSchemaRegistryClient(SchemaRegistryConfig.builder()
                .url("http://127.0.0.1:" + StubRegistryServer.closedPort()).maxAttempts(2)
                .initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2)).build());

        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                () -> new AvroDeserializer<>(Task.class, down).deserialize(TOPIC, new byte[] {0, 0, 0, 0, 1, 2}));

        assertTrue(e.isTransient());
        assertFalse(UndecodableRecordException.isPermanent(new RuntimeException(e)));
    }

    @Test
    void shouldReturnNullWhenBytesOrRecordAreNull() {
        AvroSerde<Task> serde = taskSerde(AvroSerdeOptions.defaults());

        assertNull(serde.serializer().serialize(TOPIC, null));
        assertNull(serde.deserializer().deserialize(TOPIC, null));
    }

    @Test
    void shouldMakeNoRegistryCallsAfterTheFirstRecordWhenCaching() throws Exception {
        try (StubRegistryServer stub = new StubRegistryServer()) {
            stub.on("POST", "/subjects/" + TOPIC + "-value/versions", StubRegistryServer.Response.json(200, "{\"id\":42}"));
            stub.on("GET", "/schemas/ids/42", StubRegistryServer.Response.json(200,
                    "{\"schema\":" + JsonNodeFactory.instance.textNode(Task.getClassSchema().toString()) + "}"));
            SchemaRegistryConfig config = SchemaRegistryConfig.builder().url(stub.baseUri()).build();
            // Separate clients, as a producer and a consumer process would have.
            AvroSerializer<Task> serializer = new AvroSerializer<>(new RestSchemaRegistryClient(config));
            AvroDeserializer<Task> deserializer = new AvroDeserializer<>(Task.class, new RestSchemaRegistryClient(config));

            for (int i = 0; i < 100; i++) {
                Task task = Fixtures.task();
                task.setAttempt(i);
                assertEquals(task, deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, task)));
            }

            assertEquals(2, stub.requestCount(), "one register and one fetch by id, then nothing");
        }
    }

    @Test
    void shouldWorkWhenConfiguredFromKafkaPropertiesWithTheNoArgConstructor() throws Exception {
        try (StubRegistryServer stub = new StubRegistryServer("/apis/ccompat/v7")) {
            stub.on("POST", "/subjects/io.fibflow.avro.Task/versions", StubRegistryServer.Response.json(200, "{\"id\":5}"));
            Map<String, Object> props = new HashMap<>();
            props.put("schema.registry.url", stub.baseUri().toString());
            props.put("basic.auth.credentials.source", "USER_INFO");
            props.put("basic.auth.user.info", "u:p");
            props.put("subject.name.strategy", "record");
            props.put("fibflow.avro.type", Task.class.getName());
            try (AvroSerde<Task> serde = new AvroSerde<>()) {
                serde.configure(props, false);

                byte[] bytes = serde.serializer().serialize(TOPIC, Fixtures.task());

                assertEquals(Fixtures.task(), serde.deserializer().deserialize(TOPIC, bytes));
                assertEquals(1, stub.requestCount(), "the serde's halves share one client and its cache");
                assertTrue(stub.requests().get(0).header("Authorization").startsWith("Basic "));
            }
        }
    }

    @Test
    void shouldUseTheGivenClientWhenConfiguredWithAClientInstance() {
        Map<String, Object> props = Map.of(
                AvroSerdeOptions.REGISTRY_CLIENT, registry,
                AvroSerdeOptions.AVRO_KEY_TYPE, Task.class,
                AvroSerdeOptions.AUTO_REGISTER_SCHEMAS, "true");
        AvroSerde<Task> serde = new AvroSerde<>();
        serde.configure(props, true);

        byte[] bytes = serde.serializer().serialize(TOPIC, Fixtures.task());

        assertEquals(Fixtures.task(), serde.deserializer().deserialize(TOPIC, bytes));
        assertEquals(List.of(TOPIC + "-key"), registry.subjects());
    }

    @Test
    void shouldRejectConfigurationNamingTheKeyWhenTheTypeIsNotARecord() {
        AvroDeserializer<Task> deserializer = new AvroDeserializer<>();
        org.apache.kafka.common.config.ConfigException e = assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> deserializer.configure(Map.of(AvroSerdeOptions.REGISTRY_CLIENT, registry,
                        AvroSerdeOptions.AVRO_TYPE, "java.lang.String"), false));

        assertTrue(e.getMessage().contains(AvroSerdeOptions.AVRO_TYPE), e.getMessage());
    }

    /** Plain Avro binary (not {@code toByteBuffer()}, which is Avro's single-object encoding with a header). */
    private static byte[] avroBinary(Task task) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<Task>(Task.class).write(task, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] encodeAs(Task task, Schema older) throws Exception {
        GenericRecord asOlder = new GenericDatumReader<GenericRecord>(Task.getClassSchema(), older, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(avroBinary(task), null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(older, GenericData.get()).write(asOlder, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema withoutField(Schema schema, String field) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(schema.toString());
        ArrayNode fields = (ArrayNode) json.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(field)) {
                fields.remove(i);
                return new Schema.Parser().parse(json.toString());
            }
        }
        throw new IllegalArgumentException("no field " + field);
    }

    private static Schema withField(Schema schema, String field, String type, String defaultValue) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(schema.toString());
        ObjectNode added = ((ArrayNode) json.get("fields")).addObject();
        added.put("name", field).put("type", type).put("default", defaultValue);
        return new Schema.Parser().parse(json.toString());
    }
}
