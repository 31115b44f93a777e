package io.fibflow.api.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelayTiersTest {

    private final DelayTiers tiers = new DelayTiers(List.of(DelayTier.parse("1s"), DelayTier.parse("5s"),
            DelayTier.parse("30s"), DelayTier.parse("2m")));

    @Test
    void shouldPickTheLargestTierThatDoesNotOvershoot() {
        assertEquals("1s", tiers.forRemaining(Duration.ofMillis(300)).label(), "shorter than every tier");
        assertEquals("1s", tiers.forRemaining(Duration.ofMillis(4999)).label());
        assertEquals("5s", tiers.forRemaining(Duration.ofSeconds(5)).label());
        assertEquals("30s", tiers.forRemaining(Duration.ofSeconds(70)).label());
        assertEquals("2m", tiers.forRemaining(Duration.ofHours(3)).label(), "long waits hop through the largest");
    }

    @Test
    void shouldReleaseAtTheDueTimeOrTheTierEndWhicheverComesFirst() {
        DelayTier five = DelayTier.parse("5s");
        assertEquals(3_000, DelayTiers.releaseAt(five, 0, 3_000));
        assertEquals(5_000, DelayTiers.releaseAt(five, 0, 70_000));
    }

    @Test
    void shouldHopA70SecondWaitThroughTiersWithoutEverReleasingEarly() {
        long due = 70_000;
        long now = 0;
        int hops = 0;
        while (true) {
            DelayTier tier = tiers.forRemaining(Duration.ofMillis(due - now));
            long release = DelayTiers.releaseAt(tier, now, due);
            assertTrue(release <= due);
            now = release;
            hops++;
            if (now >= due) {
                break;
            }
        }
        assertEquals(due, now);
        assertEquals(4, hops, "30s, 30s, 5s, 5s");
    }
}
