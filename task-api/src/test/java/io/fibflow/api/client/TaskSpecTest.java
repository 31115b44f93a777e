package io.fibflow.api.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSpecTest {

    @Test
    void shouldDefaultToTheDefaultPoolAndAnEmptyPayload() {
        TaskSpec s = TaskSpec.builder("echo").build();
        assertEquals("default", s.capability());
        assertEquals(Map.of(), s.payload());
        assertNull(s.delay());
    }

    @Test
    void shouldRejectBadValuesNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskSpec.builder(" "))
                .getMessage().contains("handler name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskSpec.builder("x").capability("g p u"))
                .getMessage().contains("'g p u'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskSpec.builder("x").maxAttempts(0))
                .getMessage().contains("0"));
        assertThrows(IllegalArgumentException.class, () -> TaskSpec.builder("x").timeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> TaskSpec.builder("x").delay(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> TaskSpec.builder("x").idempotencyKey(""));
    }

    @Test
    void shouldKeepOnlyTheLastOfDelayAndNotBefore() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        TaskSpec s = TaskSpec.builder("x").delay(Duration.ofSeconds(5)).notBefore(at).build();
        assertEquals(at, s.notBefore());
        assertNull(s.delay());
    }
}
