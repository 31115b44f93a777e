package io.fibflow.worker.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fibflow.api.HandlerOptions;
import io.fibflow.api.RetryBackoff;
import io.fibflow.api.TaskIds;
import io.fibflow.avro.Payload;
import io.fibflow.avro.Task;
import io.fibflow.worker.WorkerConfig;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options resolve task > handler > worker defaults, each one on its own (docs/worker.md). */
class SharedTest {

    private static final RetryBackoff WORKER_BACKOFF =
            RetryBackoff.exponential(Duration.ofMillis(250), 3.0, Duration.ofSeconds(9), 0.1);
    private static final RetryBackoff HANDLER_BACKOFF = RetryBackoff.fixed(Duration.ofMillis(700));
    private static final RetryBackoff TASK_BACKOFF =
            RetryBackoff.exponential(Duration.ofMillis(40), 1.5, Duration.ofSeconds(2), 0.0);
    private static final HandlerOptions HANDLER = HandlerOptions.builder().timeout(Duration.ofSeconds(20))
            .maxAttempts(7).backoff(HANDLER_BACKOFF).build();

    private final Shared shared = sharedWithWorkerDefaults();

    private static Shared sharedWithWorkerDefaults() {
        Map<String, Object> p = new HashMap<>();
        p.put(WorkerConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        p.put(WorkerConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081");
        // Not the documented defaults, so that a value taken from anywhere else shows.
        p.put(WorkerConfig.DEFAULT_TIMEOUT_MS, 11_000L);
        p.put(WorkerConfig.DEFAULT_MAX_ATTEMPTS, 5);
        p.put(WorkerConfig.DEFAULT_BACKOFF_INITIAL_MS, 250L);
        p.put(WorkerConfig.DEFAULT_BACKOFF_MULTIPLIER, 3.0);
        p.put(WorkerConfig.DEFAULT_BACKOFF_MAX_MS, 9_000L);
        p.put(WorkerConfig.DEFAULT_BACKOFF_JITTER, 0.1);
        // resolve(...) reads only the configuration: nothing else is needed to build one.
        return new Shared(new WorkerConfig(p), null, null, null, null, null, null, null, Clock.systemUTC());
    }

    private static Task task() {
        return Task.newBuilder().setId(TaskIds.newTaskId()).setName("t").setCapability("default")
                .setPayload(new Payload("json/plain", ByteBuffer.wrap("{}".getBytes()), Map.of()))
                .setCreatedAt(Instant.now()).build();
    }

    private static Task taskWithEverything() {
        Task t = task();
        t.setTimeoutMs(3_000L);
        t.setMaxAttempts(2);
        t.setRetryPolicy(TASK_BACKOFF.toAvro());
        return t;
    }

    @Test
    void shouldTakeEveryOptionFromTheTaskWhenTaskHandlerAndWorkerAllSetIt() {
        TaskRun.Resolved r = shared.resolve(taskWithEverything(), HANDLER);
        assertEquals(new TaskRun.Resolved(Duration.ofSeconds(3), 2, TASK_BACKOFF), r);
    }

    @Test
    void shouldTakeEveryOptionFromTheHandlerWhenTheTaskSetsNone() {
        TaskRun.Resolved r = shared.resolve(task(), HANDLER);
        assertEquals(new TaskRun.Resolved(Duration.ofSeconds(20), 7, HANDLER_BACKOFF), r);
    }

    @Test
    void shouldTakeEveryOptionFromTheWorkerDefaultsWhenNeitherTaskNorHandlerSetsIt() {
        TaskRun.Resolved expected = new TaskRun.Resolved(Duration.ofSeconds(11), 5, WORKER_BACKOFF);
        assertEquals(expected, shared.resolve(task(), HandlerOptions.NONE));
        assertEquals(expected, shared.resolve(task(), null), "a task without a handler (NO_HANDLER retries)");
    }

    @Test
    void shouldResolveEachOptionOnItsOwnWhenTheLevelsSetDifferentOnes() {
        Task t = task();
        t.setTimeoutMs(1_500L); // only the timeout from the task
        HandlerOptions attemptsOnly = HandlerOptions.builder().maxAttempts(4).build(); // only attempts from the handler
        assertEquals(new TaskRun.Resolved(Duration.ofMillis(1_500), 4, WORKER_BACKOFF), shared.resolve(t, attemptsOnly));

        Task u = task();
        u.setMaxAttempts(9); // only attempts from the task
        HandlerOptions timeoutAndBackoff = HandlerOptions.builder().timeout(Duration.ofSeconds(30))
                .backoff(HANDLER_BACKOFF).build();
        assertEquals(new TaskRun.Resolved(Duration.ofSeconds(30), 9, HANDLER_BACKOFF), shared.resolve(u, timeoutAndBackoff));

        Task v = task();
        v.setRetryPolicy(TASK_BACKOFF.toAvro()); // only the backoff from the task, over the handler's
        assertEquals(new TaskRun.Resolved(Duration.ofSeconds(20), 7, TASK_BACKOFF), shared.resolve(v, HANDLER));
    }
}
