package io.fibflow.bench;

import io.fibflow.api.client.TaskClient;
import io.fibflow.api.client.TaskSpec;
import io.fibflow.avro.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fibflow scenarios: (b) and (c) are timed from the first submit to the last SUCCEEDED seen
 * committed, (d) from each submit to its own SUCCEEDED.
 */
final class Scenarios {

    private static final int BATCH = 500;

    private Scenarios() {
    }

    /** Runs a few tasks so that schemas are registered and clients connected; returns a task's size. */
    static int warmUp(TaskClient client, EventCounter events) throws InterruptedException, java.io.IOException {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            specs.add(TaskSpec.of("noop", Map.of()));
        }
        long before = events.succeeded();
        client.submitAll(specs);
        events.awaitSucceeded(before + 20, Duration.ofSeconds(60));
        // The size of one serialized no-op Task: the raw baseline sends records this big.
        Task sample = Task.newBuilder().setId("01234567-89ab-7cde-8f01-23456789abcd").setName("noop")
                .setCapability("default").setPayload(new io.fibflow.avro.Payload("json/plain",
                        java.nio.ByteBuffer.wrap("{}".getBytes()), Map.of())).setCreatedAt(java.time.Instant.now()).build();
        return sample.toByteBuffer().remaining() + 5;
    }

    /** (b), compared with (a): the same number of records of the same size through raw Kafka. */
    static Result noop(TaskClient client, EventCounter events, int tasks, String rawScenario) throws InterruptedException {
        long before = events.succeeded();
        long start = System.nanoTime();
        submitInBatches(client, "noop", tasks);
        events.awaitSucceeded(before + tasks, Duration.ofMinutes(10));
        return Result.throughput("(b) fibflow no-op tasks end to end", tasks, System.nanoTime() - start, rawScenario,
                "submit (transactions of " + BATCH + ") -> all SUCCEEDED committed; one worker");
    }

    static Result failOnce(TaskClient client, EventCounter events, int tasks) throws InterruptedException {
        long before = events.succeeded();
        long start = System.nanoTime();
        submitInBatches(client, "fail_once", tasks);
        events.awaitSucceeded(before + tasks, Duration.ofMinutes(10));
        return Result.throughput("(c) tasks failing once, 100 ms backoff", tasks, System.nanoTime() - start, null,
                "retry through the 100ms delay tier; time until all succeeded");
    }

    /**
     * (d): one task at a time, each from just before its submit to its SUCCEEDED seen; compared
     * with the transactional round trip (d-raw-2), the floor of a path that commits a transaction
     * on submit and another on the outcome.
     */
    static List<Result> latency(TaskClient client, EventCounter events, int samples) throws InterruptedException {
        long[] micros = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            String id = client.submit(TaskSpec.of("noop", Map.of()));
            long done = events.awaitSucceeded(id, Duration.ofSeconds(30));
            micros[i] = TimeUnit.NANOSECONDS.toMicros(done - start);
        }
        return Result.percentiles("(d) idle latency", micros, RawLatency.Mode.TRANSACTIONAL.scenario,
                "submit (one transaction) -> SUCCEEDED seen read_committed, sequential; fibflow/raw against (d-raw-2)");
    }

    private static void submitInBatches(TaskClient client, String name, int tasks) {
        List<TaskSpec> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < tasks; i++) {
            batch.add(TaskSpec.of(name, Map.of()));
            if (batch.size() == BATCH || i == tasks - 1) {
                client.submitAll(batch);
                batch.clear();
            }
        }
    }

}
