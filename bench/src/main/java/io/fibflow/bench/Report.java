package io.fibflow.bench;

import java.util.List;

/** The table and CSV of one run, with fibflow/raw ratios and the peers measured on this machine. */
final class Report {

    private final List<Benchmark.Result> results;
    private final int tasks;
    private final int concurrency;
    private final String loadBefore;
    private final String loadAfter;

    Report(List<Benchmark.Result> results, int tasks, int concurrency, String loadBefore, String loadAfter) {
        this.results = results;
        this.tasks = tasks;
        this.concurrency = concurrency;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
    }

    String table() {
        double raw = results.get(0).perSecond();
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nfibflow benchmark: %d tasks, worker concurrency %d, %d cores; load average before %s,"
                + " after %s%n%n", tasks, concurrency, Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter));
        out.append(String.format("%-42s %8s %10s %12s %14s  %s%n", "scenario", "count", "ms", "per second",
                "fibflow/raw", "peers here"));
        for (Benchmark.Result r : results) {
            boolean throughput = !r.scenario().startsWith("(d)");
            String ratio = r.scenario().startsWith("(b)") ? String.format("%.3f", r.perSecond() / raw) : "";
            out.append(String.format("%-42s %8d %10d %12s %14s  %s%n", r.scenario(), r.count(), r.millis(),
                    throughput ? String.format("%.0f", r.perSecond()) : "", ratio, peers(r.scenario())));
        }
        out.append(System.lineSeparator());
        for (Benchmark.Result r : results) {
            out.append("  ").append(r.scenario()).append(": ").append(r.note()).append(System.lineSeparator());
        }
        return out.toString();
    }

    String csv() {
        StringBuilder out = new StringBuilder("scenario,count,millis,per_second,note\n");
        for (Benchmark.Result r : results) {
            out.append('"').append(r.scenario()).append("\",").append(r.count()).append(',').append(r.millis()).append(',')
                    .append(String.format("%.1f", r.perSecond())).append(",\"").append(r.note().replace("\"", "'"))
                    .append("\"\n");
        }
        return out.toString();
    }

    private static String peers(String scenario) {
        if (scenario.startsWith("(b)")) {
            return "BullMQ 6.7 ~4,250/s; Celery 5.2 ~510/s";
        }
        if (scenario.startsWith("(c)")) {
            return "BullMQ ~0.9 s; Celery ~6.4 s";
        }
        if (scenario.contains("p50")) {
            return "BullMQ 2.2 ms";
        }
        if (scenario.contains("p99")) {
            return "BullMQ 7.7 ms";
        }
        return "";
    }
}
