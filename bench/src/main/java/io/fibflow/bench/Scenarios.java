package io.fibflow.bench;

import io.fibflow.api.client.TaskClient;
import io.fibflow.api.client.TaskSpec;
import io.fibflow.avro.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The fibflow scenarios, each timed from the first submit to the last SUCCEEDED committed. */
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

    static Benchmark.Result noop(TaskClient client, EventCounter events, int tasks) throws InterruptedException {
        long before = events.succeeded();
        long start = System.nanoTime();
        submitInBatches(client, "noop", tasks);
        events.awaitSucceeded(before + tasks, Duration.ofMinutes(10));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Benchmark.Result("(b) fibflow no-op tasks end to end", tasks, ms,
                "submit (transactions of " + BATCH + ") -> all SUCCEEDED committed; one worker");
    }

    static Benchmark.Result failOnce(TaskClient client, EventCounter events, int tasks) throws InterruptedException {
        long before = events.succeeded();
        long start = System.nanoTime();
        submitInBatches(client, "fail_once", tasks);
        events.awaitSucceeded(before + tasks, Duration.ofMinutes(10));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Benchmark.Result("(c) tasks failing once, 100 ms backoff", tasks, ms,
                "retry through the 100ms delay tier; time until all succeeded");
    }

    static List<Benchmark.Result> latency(TaskClient client, EventCounter events, int samples) throws InterruptedException {
        long[] micros = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            String id = client.submit(TaskSpec.of("noop", Map.of()));
            long deadline = start + TimeUnit.SECONDS.toNanos(30);
            Long done;
            while ((done = events.succeededAt(id)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("task " + id + " did not complete within 30 s");
                }
                Thread.onSpinWait();
            }
            micros[i] = TimeUnit.NANOSECONDS.toMicros(done - start);
        }
        Arrays.sort(micros);
        long p50 = micros[samples / 2];
        long p99 = micros[Math.min(samples - 1, (int) Math.ceil(samples * 0.99) - 1)];
        return List.of(
                new Benchmark.Result("(d) idle latency p50", samples, p50 / 1000, "submit -> SUCCEEDED seen, sequential; "
                        + String.format("%.1f ms", p50 / 1000.0)),
                new Benchmark.Result("(d) idle latency p99", samples, p99 / 1000, String.format("%.1f ms", p99 / 1000.0)));
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
