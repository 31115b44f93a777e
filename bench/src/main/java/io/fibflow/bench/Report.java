package io.fibflow.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The table and CSV of one run, with fibflow/raw ratios and the peers' figures measured by others
 * on this machine shape (not in this run). Numbers are formatted with {@link Locale#ROOT} so the
 * CSV's decimal point is a point whatever the machine's locale.
 */
final class Report {

    private final List<Result> results;
    private final int tasks;
    private final int concurrency;
    private final String loadBefore;
    private final String loadAfter;

    Report(List<Result> results, int tasks, int concurrency, String loadBefore, String loadAfter) {
        this.results = results;
        this.tasks = tasks;
        this.concurrency = concurrency;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(format("%nfibflow benchmark: %d tasks, worker concurrency %d, %d cores; load average (1/5/15 min)"
                + " before %s, after %s%n%n", tasks, concurrency, Runtime.getRuntime().availableProcessors(), loadBefore,
                loadAfter));
        out.append(format("%-42s %8s %10s %12s %14s  %s%n", "scenario", "count", "ms", "per second", "fibflow/raw",
                "peers (not this run)"));
        for (Result r : results) {
            out.append(format("%-42s %8d %10s %12s %14s  %s", r.scenario(), r.count(), millis(r), perSecond(r),
                    ratio(r).map(Report::ratioText).orElse(""), peers(r.scenario())).stripTrailing())
                    .append(System.lineSeparator());
        }
        out.append(System.lineSeparator());
        String previous = null;
        for (Result r : results) {
            // A scenario's p50 and p99 rows share one note: print it once.
            if (!r.note().equals(previous)) {
                out.append("  ").append(r.scenario()).append(": ").append(r.note()).append(System.lineSeparator());
            }
            previous = r.note();
        }
        out.append(System.lineSeparator())
                .append("  fibflow/raw: (b) is its rate over (a)'s, so below 1 is slower; (d) is its latency over the same")
                .append(System.lineSeparator())
                .append("  percentile of (d-raw-2), the transactional round trip, so above 1 is slower.")
                .append(System.lineSeparator());
        return out.toString();
    }

    /** One row per result; latency rows leave per_second empty, rows without a baseline leave the ratio empty. */
    String csv() {
        StringBuilder out = new StringBuilder(
                "scenario,count,ms,per_second,ratio_vs_raw,baseline,load_before,load_after,note\n");
        for (Result r : results) {
            out.append(quote(r.scenario())).append(',').append(r.count()).append(',').append(millis(r)).append(',')
                    .append(perSecond(r)).append(',').append(ratio(r).map(Report::ratioText).orElse("")).append(',')
                    .append(r.baseline() == null ? "" : quote(r.baseline())).append(',')
                    .append(quote(loadBefore)).append(',').append(quote(loadAfter)).append(',')
                    .append(quote(r.note())).append('\n');
        }
        return out.toString();
    }

    /**
     * fibflow over raw, always in that order: a rate ratio for throughput rows, a latency ratio
     * for latency rows. Empty when the row names no baseline or the baseline is not in this run.
     */
    private Optional<Double> ratio(Result r) {
        if (r.baseline() == null) {
            return Optional.empty();
        }
        return results.stream().filter(b -> b.scenario().equals(r.baseline())).findFirst()
                .filter(b -> b.micros() > 0)
                .map(b -> r.kind() == Result.Kind.THROUGHPUT ? r.perSecond() / b.perSecond() : r.millis() / b.millis());
    }

    private static String ratioText(double ratio) {
        return format("%.3f", ratio);
    }

    /** Elapsed whole milliseconds for a throughput; a percentile to 0.1 ms for a latency. */
    private static String millis(Result r) {
        return r.kind() == Result.Kind.THROUGHPUT ? format("%d", Math.round(r.millis())) : format("%.1f", r.millis());
    }

    private static String perSecond(Result r) {
        return r.kind() == Result.Kind.THROUGHPUT ? format("%.0f", r.perSecond()) : "";
    }

    private static String quote(String field) {
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private static String peers(String scenario) {
        if (scenario.startsWith("(b)")) {
            return "BullMQ 6.7 ~4,250/s; Celery 5.2 ~510/s";
        }
        if (scenario.startsWith("(c)")) {
            return "BullMQ ~0.9 s; Celery ~6.4 s";
        }
        if (scenario.equals("(d) idle latency p50")) {
            return "BullMQ 2.2 ms";
        }
        if (scenario.equals("(d) idle latency p99")) {
            return "BullMQ 7.7 ms";
        }
        return "";
    }
}
