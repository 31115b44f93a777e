package io.fibflow.embedded.internals.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {
    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
    }

    private static final Schema V1 = record("{\"name\":\"a\",\"type\":\"string\"}");
    /** Adds a field without default: old readers ignore it (forward), it cannot read old data (not backward). */
    private static final Schema ADDS_REQUIRED = record(
        "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}");
    /** Drops the only field: reads old data (backward) but old readers miss 'a' (not forward). */
    private static final Schema DROPS_FIELD = record("{\"name\":\"c\",\"type\":\"int\",\"default\":1}");

    @Test
    void shouldCheckBackwardAsNewReaderOfOldData() {
        assertFalse(CompatibilityLevel.BACKWARD.incompatibilities(ADDS_REQUIRED, List.of(V1)).isEmpty());
        assertTrue(CompatibilityLevel.BACKWARD.incompatibilities(DROPS_FIELD, List.of(V1)).isEmpty());
    }

    @Test
    void shouldCheckForwardAsOldReaderOfNewData() {
        assertTrue(CompatibilityLevel.FORWARD.incompatibilities(ADDS_REQUIRED, List.of(V1)).isEmpty());
        assertFalse(CompatibilityLevel.FORWARD.incompatibilities(DROPS_FIELD, List.of(V1)).isEmpty());
    }

    @Test
    void shouldRequireBothDirectionsForFullAndNoneForNone() {
        assertFalse(CompatibilityLevel.FULL.incompatibilities(ADDS_REQUIRED, List.of(V1)).isEmpty());
        assertFalse(CompatibilityLevel.FULL.incompatibilities(DROPS_FIELD, List.of(V1)).isEmpty());
        assertTrue(CompatibilityLevel.NONE.incompatibilities(ADDS_REQUIRED, List.of(V1)).isEmpty());
    }

    @Test
    void shouldCompareWithLatestOnlyUnlessTransitive() {
        List<Schema> history = List.of(V1, ADDS_REQUIRED);
        assertEquals(List.of(ADDS_REQUIRED), CompatibilityLevel.BACKWARD.relevant(history));
        assertEquals(history, CompatibilityLevel.BACKWARD_TRANSITIVE.relevant(history));
    }

    @Test
    void shouldRejectUnknownLevelsWithError42203() {
        RegistryException e = assertThrows(RegistryException.class, () -> CompatibilityLevel.parse("SIDEWAYS"));
        assertEquals(42203, e.errorCode());
        assertEquals(CompatibilityLevel.FULL_TRANSITIVE, CompatibilityLevel.parse("full_transitive"));
    }
}
