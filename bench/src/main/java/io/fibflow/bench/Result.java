package io.fibflow.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One row of a run: either a throughput (count items over an elapsed time) or one percentile of a
 * latency distribution over count sequential samples. A row may name its baseline, the raw-Kafka
 * row it is compared with, and {@link Report} turns the pair into the fibflow/raw ratio.
 *
 * @param scenario the row's name as printed, e.g. {@code (d) idle latency p50}
 * @param kind what {@code micros} measures
 * @param count items timed (throughput) or samples taken (latency)
 * @param micros the elapsed time (throughput) or the percentile (latency), in microseconds
 * @param baseline the scenario this row's ratio is computed against, or null for none
 * @param note how the row was measured, in a few words
 */
record Result(String scenario, Kind kind, long count, long micros, String baseline, String note) {

    /** Whether a row is a rate (higher is better) or a latency (lower is better). */
    enum Kind { THROUGHPUT, LATENCY }

    static Result throughput(String scenario, long count, long elapsedNanos, String baseline, String note) {
        return new Result(scenario, Kind.THROUGHPUT, count, TimeUnit.NANOSECONDS.toMicros(elapsedNanos), baseline, note);
    }

    /**
     * The p50 and p99 rows of one latency scenario, named {@code name + " p50"} and
     * {@code name + " p99"}. Percentiles are nearest-rank (the ⌈p·n⌉-th smallest sample), so every
     * figure is a latency that was actually observed. When {@code baseline} is not null each row
     * is compared with the same percentile of that scenario.
     */
    static List<Result> percentiles(String name, long[] samplesMicros, String baseline, String note) {
        long[] sorted = samplesMicros.clone();
        Arrays.sort(sorted);
        return List.of(percentile(name, sorted, 50, baseline, note), percentile(name, sorted, 99, baseline, note));
    }

    private static Result percentile(String name, long[] sorted, int p, String baseline, String note) {
        int rank = (int) Math.ceil(sorted.length * p / 100.0);
        String suffix = " p" + p;
        return new Result(name + suffix, Kind.LATENCY, sorted.length, sorted[Math.max(0, rank - 1)],
                baseline == null ? null : baseline + suffix, note);
    }

    double millis() {
        return micros / 1000.0;
    }

    /** Items per second; only meaningful for {@link Kind#THROUGHPUT} rows. */
    double perSecond() {
        return micros == 0 ? 0 : count * 1_000_000.0 / micros;
    }
}
