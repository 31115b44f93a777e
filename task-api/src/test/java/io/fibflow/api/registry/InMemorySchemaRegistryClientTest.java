package io.fibflow.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.avro.Task;
import io.fibflow.avro.TaskEvent;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldShareIdsAcrossSubjectsWhenSchemasAreEqual() {
        int a = registry.register("a-value", Task.getClassSchema());
        int b = registry.register("b-value", Task.getClassSchema());
        int c = registry.register("c-value", TaskEvent.getClassSchema());

        assertEquals(a, b);
        assertTrue(c != a);
        assertEquals(new SchemaVersion("b-value", a, 1, Task.getClassSchema()), registry.lookup("b-value", Task.getClassSchema()));
        assertEquals(List.of(1), registry.versions("a-value"));
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaWhenTheLevelIsBackward() {
        Schema v1 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
        Schema v2 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
                + "{\"name\":\"b\",\"type\":\"string\"}]}");
        registry.register("r", v1);

        assertFalse(registry.testCompatibility("r", v2).compatible());
        assertThrows(IncompatibleSchemaException.class, () -> registry.register("r", v2));
        registry.setCompatibility("r", CompatibilityLevel.NONE);
        int id = registry.register("r", v2);

        assertEquals(new SchemaVersion("r", id, 2, v2), registry.getLatestVersion("r"));
    }

    @Test
    void shouldThrowTypedNotFoundErrorsWhenNothingIsRegistered() {
        assertThrows(SubjectNotFoundException.class, () -> registry.getLatestVersion("x"));
        assertThrows(SchemaNotFoundException.class, () -> registry.getById(1));
        registry.register("x", Task.getClassSchema());
        assertThrows(SchemaNotFoundException.class, () -> registry.lookup("x", TaskEvent.getClassSchema()));
        assertThrows(SchemaNotFoundException.class, () -> registry.getVersion("x", 2));
    }
}
