package io.fibflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    @Test
    void shouldGrowExponentiallyUpToTheMaximumWhenThereIsNoJitter() {
        RetryBackoff b = RetryBackoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(1000), 0.0);
        assertEquals(Duration.ofMillis(100), b.delayAfterAttempt(1));
        assertEquals(Duration.ofMillis(200), b.delayAfterAttempt(2));
        assertEquals(Duration.ofMillis(400), b.delayAfterAttempt(3));
        assertEquals(Duration.ofMillis(800), b.delayAfterAttempt(4));
        assertEquals(Duration.ofMillis(1000), b.delayAfterAttempt(5));
        assertEquals(Duration.ofMillis(1000), b.delayAfterAttempt(30));
    }

    @Test
    void shouldStayWithinTheJitterBandAndUnderTheMaximum() {
        RetryBackoff b = RetryBackoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(500), 0.5);
        for (int i = 0; i < 500; i++) {
            long d1 = b.delayAfterAttempt(1).toMillis();
            assertTrue(d1 >= 50 && d1 <= 150, "attempt 1 delay " + d1);
            long d4 = b.delayAfterAttempt(4).toMillis();
            assertTrue(d4 <= 500, "capped delay " + d4);
        }
        assertEquals(Duration.ofMillis(400), b.nominalDelayAfterAttempt(3));
    }

    @Test
    void shouldRoundTripThroughTheAvroRetryPolicy() {
        RetryBackoff b = RetryBackoff.exponential(Duration.ofMillis(250), 3.0, Duration.ofSeconds(9), 0.1);
        assertEquals(b, RetryBackoff.fromAvro(b.toAvro()));
    }

    @Test
    void shouldRejectNonsenseNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RetryBackoff.exponential(Duration.ofMillis(100), 0.5, Duration.ofSeconds(1), 0));
        assertTrue(e.getMessage().contains("0.5"));
        assertThrows(IllegalArgumentException.class,
                () -> RetryBackoff.exponential(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class,
                () -> RetryBackoff.exponential(Duration.ofSeconds(1), 2, Duration.ofSeconds(2), 1.0));
    }
}
