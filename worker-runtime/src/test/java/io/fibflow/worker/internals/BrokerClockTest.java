package io.fibflow.worker.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BrokerClockTest {

    @Test
    void shouldNeverRunAheadOfTheBrokerClock() {
        BrokerClock clock = new BrokerClock();
        assertEquals(Long.MIN_VALUE, clock.nowMs());
        clock.observe(1_000);
        long first = clock.nowMs();
        assertTrue(first >= 1_000 && first < 1_100);
        clock.observe(500); // an older stamp never moves the estimate back
        assertTrue(clock.nowMs() >= first);
    }
}
