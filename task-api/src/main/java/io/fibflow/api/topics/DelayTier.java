package io.fibflow.api.topics;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One delay topic's hold time, written as its topic suffix: {@code 500ms}, {@code 1s},
 * {@code 5s}, {@code 30s}, {@code 2m}, {@code 10m}, {@code 1h}, {@code 1d}.
 *
 * <p>A record in tier T appended at time A is released at min(its final due time, A + T), so a
 * tier never holds a record longer than T (DESIGN §5).
 */
public record DelayTier(Duration duration) implements Comparable<DelayTier> {

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public DelayTier {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("delay tier must be positive, got " + duration);
        }
        if (duration.toMillis() * 1_000_000L != duration.toNanos()) {
            throw new IllegalArgumentException("delay tier must be a whole number of milliseconds, got " + duration);
        }
    }

    /** Parses a tier name such as {@code 30s} or {@code 2m}. */
    public static DelayTier parse(String name) {
        Matcher m = SYNTAX.matcher(name == null ? "" : name.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "delay tier '" + name + "' is not <number><unit> with unit ms, s, m, h or d (e.g. 30s, 2m)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        return new DelayTier(d);
    }

    public static DelayTier of(Duration duration) {
        return new DelayTier(duration);
    }

    /** The shortest name for this duration, used as the topic suffix. */
    public String label() {
        long ms = duration.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    @Override
    public int compareTo(DelayTier other) {
        return duration.compareTo(other.duration);
    }

    @Override
    public String toString() {
        return label();
    }
}
