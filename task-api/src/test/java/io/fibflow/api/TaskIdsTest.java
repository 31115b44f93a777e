package io.fibflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskIdsTest {

    @Test
    void shouldCreateTimeOrderedVersion7Ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(TaskIds.newTaskId());
        }
        assertEquals(1000, new HashSet<>(ids).size());
        for (String id : ids) {
            assertEquals(7, UUID.fromString(id).version());
        }
        // UUIDv7 leads with a millisecond timestamp: ids from later milliseconds sort later.
        long firstMillis = UUID.fromString(ids.get(0)).getMostSignificantBits() >>> 16;
        long lastMillis = UUID.fromString(ids.get(999)).getMostSignificantBits() >>> 16;
        assertTrue(lastMillis >= firstMillis);
        assertTrue(Math.abs(System.currentTimeMillis() - lastMillis) < 60_000, "timestamp is wall-clock millis");
    }

    @Test
    void shouldDeriveTheSameChildIdForTheSameParentEpochAndIndex() {
        String parent = TaskIds.newTaskId();
        assertEquals(TaskIds.childId(parent, 2, 5), TaskIds.childId(parent, 2, 5));
        assertNotEquals(TaskIds.childId(parent, 2, 5), TaskIds.childId(parent, 3, 5));
        assertNotEquals(TaskIds.childId(parent, 2, 5), TaskIds.childId(parent, 2, 6));
        assertEquals(5, UUID.fromString(TaskIds.childId(parent, 0, 0)).version());
    }

    @Test
    void shouldPinTheWireVisibleNameBasedIds() {
        // Producers in other languages compute these ids; changing them breaks idempotency.
        assertEquals(UUID.fromString("6f1b7c5e-2d4a-5b8e-9c3f-0a1b2c3d4e5f"), TaskIds.NAMESPACE);
        // Expected values computed independently with Python's uuid.uuid5(NAMESPACE, name).
        assertEquals("b30ac544-9636-51ae-9876-5adae2ad73e2", TaskIds.idempotentId("order-42"));
        assertEquals("3f377282-6c04-5be7-9ee4-337426a32b02", TaskIds.childId("p", 1, 2));
    }

    @Test
    void shouldRejectBlankIdempotencyKeysAndNegativeIndexes() {
        assertThrows(IllegalArgumentException.class, () -> TaskIds.idempotentId(" "));
        assertThrows(IllegalArgumentException.class, () -> TaskIds.childId("p", 0, -1));
        assertThrows(IllegalArgumentException.class, () -> TaskIds.childId("p", -1, 0));
    }
}
