package io.fibflow.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Pins the cross-language contract of DESIGN §3: every field documented, every enum with a
 * default symbol, and every schema backward and forward compatible with the last released one.
 */
class SchemaContractTest {

    /** The released schemas, in the order their names must be parsed (dependencies first). */
    private static final List<String> RELEASED = List.of("TaskStatus", "TaskError", "Payload", "RetryPolicy",
            "ChildResult", "Task", "TaskEvent", "TaskCommand", "TaskSchedule", "WorkerStatus");

    private static final Map<String, Schema> CURRENT = Map.of(
            "Task", Task.getClassSchema(),
            "Payload", Payload.getClassSchema(),
            "TaskEvent", TaskEvent.getClassSchema(),
            "TaskCommand", TaskCommand.getClassSchema(),
            "TaskSchedule", TaskSchedule.getClassSchema(),
            "WorkerStatus", WorkerStatus.getClassSchema(),
            "ChildResult", ChildResult.getClassSchema(),
            "TaskError", TaskError.getClassSchema(),
            "RetryPolicy", RetryPolicy.getClassSchema(),
            "TaskStatus", TaskStatus.getClassSchema());

    @Test
    void shouldDocumentEveryRecordEnumAndField() {
        List<String> undocumented = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        CURRENT.values().forEach(s -> collectUndocumented(s, undocumented, seen));
        assertTrue(undocumented.isEmpty(), "missing doc: " + undocumented);
    }

    @Test
    void shouldGiveEveryEnumADefaultSymbol() {
        Map<String, Schema> enums = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        CURRENT.values().forEach(s -> collectEnums(s, enums, seen));
        assertEquals(Set.of("io.fibflow.avro.TaskStatus", "io.fibflow.avro.TaskEventType",
                "io.fibflow.avro.ChildFailurePolicy", "io.fibflow.avro.TaskCommandType",
                "io.fibflow.avro.ScheduleState"), enums.keySet());
        enums.forEach((name, e) -> {
            assertNotNull(e.getEnumDefault(), name + " has no default symbol");
            assertTrue(e.getEnumSymbols().contains(e.getEnumDefault()), name);
        });
    }

    @Test
    void shouldStayBackwardAndForwardCompatibleWithTheReleasedSchemas() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String name : RELEASED) {
            try (InputStream in = getClass().getResourceAsStream("/released/0.1.0/" + name + ".avsc")) {
                assertNotNull(in, "released schema " + name);
                Schema released = parser.parse(in);
                Schema current = CURRENT.get(name);
                var backward = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
                var forward = SchemaCompatibility.checkReaderWriterCompatibility(released, current);
                assertEquals(SchemaCompatibilityType.COMPATIBLE, backward.getType(),
                        name + ": new readers cannot read old records: " + backward.getResult().getIncompatibilities());
                assertEquals(SchemaCompatibilityType.COMPATIBLE, forward.getType(),
                        name + ": old readers cannot read new records: " + forward.getResult().getIncompatibilities());
                if (current.getType() == Schema.Type.RECORD) {
                    for (Schema.Field field : current.getFields()) {
                        if (released.getField(field.name()) == null) {
                            assertTrue(field.hasDefaultValue(), name + "." + field.name() + " was added without a default");
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldCarryEpochsParentStageAndTaskSnapshots() {
        // DESIGN §3: fencing on epoch, children know their parent's stage, and events can carry the Task.
        assertFalse(Task.getClassSchema().getField("epoch").schema().isNullable());
        assertNotNull(Task.getClassSchema().getField("parentStage"));
        assertFalse(TaskEvent.getClassSchema().getField("epoch").schema().isNullable());
        Schema snapshot = TaskEvent.getClassSchema().getField("task").schema();
        assertTrue(snapshot.getTypes().contains(Task.getClassSchema()));
    }

    private static void collectUndocumented(Schema schema, List<String> out, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
                for (Schema.Field f : schema.getFields()) {
                    if (isBlank(f.doc())) {
                        out.add(schema.getFullName() + "." + f.name());
                    }
                    collectUndocumented(f.schema(), out, seen);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, out, seen));
            case ARRAY -> collectUndocumented(schema.getElementType(), out, seen);
            case MAP -> collectUndocumented(schema.getValueType(), out, seen);
            default -> {
            }
        }
    }

    private static void collectEnums(Schema schema, Map<String, Schema> out, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> collectEnums(f.schema(), out, seen));
                }
            }
            case ENUM -> out.put(schema.getFullName(), schema);
            case UNION -> schema.getTypes().forEach(t -> collectEnums(t, out, seen));
            case ARRAY -> collectEnums(schema.getElementType(), out, seen);
            case MAP -> collectEnums(schema.getValueType(), out, seen);
            default -> {
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
