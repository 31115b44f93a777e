package io.fibflow.api.topics;

import java.time.Duration;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Which delay tier a wait goes to (DESIGN §5): the largest tier not longer than the time left,
 * so that a tier releases its records at append time + tier, in append order; waits shorter
 * than the smallest tier go there and are released at their due time.
 */
public final class DelayTiers {

    private final NavigableSet<DelayTier> tiers;

    public DelayTiers(java.util.Collection<DelayTier> tiers) {
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("at least one delay tier is required");
        }
        this.tiers = new TreeSet<>(tiers);
    }

    public DelayTier forRemaining(Duration remaining) {
        DelayTier fit = tiers.floor(new DelayTier(Duration.ofMillis(Math.max(1, remaining.toMillis()))));
        return fit != null ? fit : tiers.first();
    }

    /** When a record in {@code tier}, appended at {@code appendMs}, due at {@code dueMs}, leaves its tier. */
    public static long releaseAt(DelayTier tier, long appendMs, long dueMs) {
        return Math.min(dueMs, appendMs + tier.duration().toMillis());
    }

    public NavigableSet<DelayTier> all() {
        return tiers;
    }
}
