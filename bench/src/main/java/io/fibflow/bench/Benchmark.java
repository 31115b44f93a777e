package io.fibflow.bench;

import io.fibflow.api.RetryBackoff;
import io.fibflow.api.HandlerOptions;
import io.fibflow.api.TaskOutcome;
import io.fibflow.api.client.TaskClient;
import io.fibflow.api.client.TaskSpec;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.embedded.EmbeddedKafkaBroker;
import io.fibflow.embedded.EmbeddedSchemaRegistry;
import io.fibflow.worker.Worker;
import io.fibflow.worker.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * fibflow against raw Kafka on the same embedded broker, in one run (issue: first benchmark):
 * (a) raw produce+consume, (b) no-op tasks end to end through one worker, (c) 1,000 tasks that
 * fail once with a 100 ms backoff, (d) idle submit→complete latency over sequential tasks, and
 * its raw baselines (d-raw-1) a plain and (d-raw-2) a transactional request/reply round trip.
 * The method of each is written down in docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark fibflow against raw Kafka on one embedded broker.")
public final class Benchmark implements Callable<Integer> {

    /**
     * fetch.max.wait.ms of every consumer the bench itself reads with (the task-events observer and
     * the raw round trips), so that fibflow and its baselines are observed alike. A parked fetch is
     * normally answered as soon as a record (read_committed: a commit marker) lands, so this only
     * caps the wait when the broker does not wake it; 10 ms keeps that cap well under the figures
     * while an idle consumer sends no more than ~100 fetches a second. The worker's own consumers
     * keep fibflow's defaults: they are what is measured.
     */
    static final int FETCH_MAX_WAIT_MS = 10;

    @Option(names = "--tasks", defaultValue = "20000", description = "No-op tasks for (b), and records for (a).")
    int tasks;

    @Option(names = "--concurrency", defaultValue = "8", description = "Worker concurrency for (b)-(d).")
    int concurrency;

    @Option(names = "--retries", defaultValue = "1000", description = "Fail-once tasks for (c).")
    int retries;

    @Option(names = "--latency-samples", defaultValue = "200",
            description = "Sequential tasks for (d), and round trips for each of its raw baselines.")
    int latencySamples;

    @Option(names = "--csv", defaultValue = "bench/target/bench.csv", description = "Where to write the CSV.")
    Path csv;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String loadBefore = loadAverage();
        List<Result> results = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                        .bootstrapServers(broker.bootstrapServers()).build().start()) {
            String bootstrap = broker.bootstrapServers();
            TopicPlan plan = TopicPlan.builder().capabilities("default").taskPartitions(6).eventPartitions(6)
                    .delayTiers("100ms", "1s", "5s").build();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
            }
            int recordBytes;
            Map<String, Boolean> failedOnce = new ConcurrentHashMap<>();
            try (TaskClient client = TaskClient.builder().bootstrapServers(bootstrap).schemaRegistryUrl(registry.url())
                    .topicPlan(plan).build();
                    Worker worker = new Worker(workerProps(bootstrap, registry.url()));
                    EventCounter events = new EventCounter(bootstrap, registry.url(), plan.names().events())) {
                worker.use("noop", ctx -> TaskOutcome.done());
                worker.use("fail_once", ctx -> {
                    if (failedOnce.putIfAbsent(ctx.taskId(), true) == null) {
                        throw new IllegalStateException("first attempt fails");
                    }
                    return TaskOutcome.done();
                }, HandlerOptions.builder().backoff(RetryBackoff.fixed(Duration.ofMillis(100))).build());
                worker.start();
                recordBytes = Scenarios.warmUp(client, events);

                results.add(RawKafka.run(bootstrap, tasks, recordBytes));
                results.add(Scenarios.noop(client, events, tasks, RawKafka.SCENARIO));
                results.add(Scenarios.failOnce(client, events, retries));
                results.addAll(Scenarios.latency(client, events, latencySamples));
                // Right after (d), with the worker still up and idle, so both see the same background.
                results.addAll(RawLatency.run(bootstrap, RawLatency.Mode.PLAIN, latencySamples, recordBytes));
                results.addAll(RawLatency.run(bootstrap, RawLatency.Mode.TRANSACTIONAL, latencySamples, recordBytes));
            }
        }
        Report report = new Report(results, tasks, concurrency, loadBefore, loadAverage());
        System.out.println(report.table());
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, report.csv());
        System.out.println("CSV written to " + csv.toAbsolutePath());
        return 0;
    }

    private Map<String, Object> workerProps(String bootstrap, String registryUrl) {
        Map<String, Object> props = new HashMap<>();
        props.put(WorkerConfig.BOOTSTRAP_SERVERS, bootstrap);
        props.put(WorkerConfig.SCHEMA_REGISTRY_URL, registryUrl);
        props.put(WorkerConfig.MAX_CONCURRENCY, concurrency);
        props.put(WorkerConfig.WORKER_ID, "bench-worker");
        props.put(WorkerConfig.DELAY_TIERS, "100ms,1s,5s");
        props.put(WorkerConfig.MAX_BUFFERED_RECORDS, 5000);
        return props;
    }

    /** The 1-, 5- and 15-minute load averages from /proc/loadavg, space-separated; "unknown" where there is none. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(fields, Math.min(3, fields.length)));
        } catch (Exception e) {
            return "unknown";
        }
    }
}
