package io.fibflow.worker;

import io.fibflow.api.HandlerOptions;
import io.fibflow.api.HandlerProvider;
import io.fibflow.api.HandlerRegistrar;
import io.fibflow.api.TaskHandler;
import io.fibflow.api.codec.AvroPayloadCodec;
import io.fibflow.api.codec.PayloadCodecs;
import io.fibflow.api.registry.RestSchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.api.registry.SchemaRegistryConfig;
import io.fibflow.worker.internals.HandlerRegistry;
import io.fibflow.worker.internals.WorkerRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs task handlers for one or more capabilities (worker pools). Each capability is a consumer
 * group over {@code tasks.<capability>}; adding workers balances load and a dead worker's tasks
 * move to the survivors. Outcomes are committed transactionally with the offsets they complete.
 *
 * <pre>{@code
 * Worker worker = new Worker(Map.of(
 *         "bootstrap.servers", "127.0.0.1:9092",
 *         "schema.registry.url", "http://127.0.0.1:8081",
 *         "fibflow.worker.capabilities", "default,gpu",
 *         "fibflow.worker.max.concurrency", "8"));
 * worker.use("process_chunk", ctx -> TaskOutcome.result(Map.of("rows", 10)));
 * worker.start();
 * ...
 * worker.shutdown();                         // stop fetching, drain, commit, leave the group
 * worker.awaitTermination(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>The lifecycle mirrors {@code ExecutorService}: {@link #start()}, {@link #shutdown()},
 * {@link #awaitTermination(Duration)}; see {@link WorkerState}.
 */
public final class Worker implements AutoCloseable, HandlerRegistrar {

    private final WorkerConfig config;
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final SchemaRegistryClient registry;
    private final boolean ownsRegistry;
    private final Clock clock;
    private final PayloadCodecs codecs;
    private final Object lock = new Object();
    private volatile WorkerState state = WorkerState.CREATED;
    private WorkerRuntime runtime;

    /** A worker from configuration keys (see {@link WorkerConfig}); fails naming a bad or missing key. */
    public Worker(Map<String, ?> props) {
        this(new WorkerConfig(props));
    }

    public Worker(WorkerConfig config) {
        this(config, new RestSchemaRegistryClient(SchemaRegistryConfig.fromMap(registryProps(config))));
    }

    private Worker(WorkerConfig config, SchemaRegistryClient registry) {
        this(config, registry, true, Clock.systemUTC(), PayloadCodecs.of(new AvroPayloadCodec(registry)));
    }

    /** A worker with its own registry client, clock and payload codecs (the caller closes the client). */
    public Worker(WorkerConfig config, SchemaRegistryClient registry, Clock clock, PayloadCodecs codecs) {
        this(config, registry, false, clock, codecs);
    }

    private Worker(WorkerConfig config, SchemaRegistryClient registry, boolean ownsRegistry, Clock clock,
            PayloadCodecs codecs) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ownsRegistry = ownsRegistry;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
    }

    private static Map<String, Object> registryProps(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>(config.registryProperties());
        props.put(SchemaRegistryConfig.URL, config.getString(WorkerConfig.SCHEMA_REGISTRY_URL));
        return props;
    }

    /** Registers (or replaces) a handler; works while running. An attempt keeps the handler it started with. */
    @Override
    public Worker use(String name, TaskHandler handler) {
        return use(name, handler, HandlerOptions.NONE);
    }

    @Override
    public Worker use(String name, TaskHandler handler, HandlerOptions options) {
        handlers.use(name, handler, options);
        return this;
    }

    /** Registers the handlers of every {@link HandlerProvider} on the class path; returns how many providers. */
    public int useProviders(ClassLoader loader) {
        int n = 0;
        for (HandlerProvider provider : java.util.ServiceLoader.load(HandlerProvider.class, loader)) {
            provider.register(this);
            n++;
        }
        return n;
    }

    /** Removes a handler: no new attempts start on it; running ones finish. */
    public boolean unuse(String name) {
        return handlers.unuse(name);
    }

    public List<String> handlerNames() {
        return handlers.names();
    }

    /** Starts consuming every configured capability. */
    public void start() {
        synchronized (lock) {
            transition(WorkerState.RUNNING);
            runtime = new WorkerRuntime(config, handlers, registry, codecs, clock, this::onLoopFailure);
            runtime.start();
        }
    }

    /** Stops starting new tasks (partitions paused, group membership kept); running ones finish. */
    public void pause() {
        synchronized (lock) {
            transition(WorkerState.PAUSED);
            runtime.setPaused(true);
        }
    }

    public void resume() {
        synchronized (lock) {
            transition(WorkerState.RUNNING);
            runtime.setPaused(false);
        }
    }

    /** Begins a graceful stop: stop fetching, let running tasks finish up to the drain timeout, commit, leave. */
    public void shutdown() {
        synchronized (lock) {
            if (state == WorkerState.STOPPING || state == WorkerState.STOPPED || state == WorkerState.FAILED) {
                return;
            }
            if (state == WorkerState.CREATED) {
                transition(WorkerState.STOPPED);
                closeRegistry();
                return;
            }
            transition(WorkerState.STOPPING);
            runtime.stop();
        }
    }

    /** Waits for a stop begun by {@link #shutdown()}; true when the worker has stopped. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        WorkerRuntime r;
        synchronized (lock) {
            r = runtime;
        }
        if (r != null && !r.awaitTermination(timeout)) {
            return false;
        }
        synchronized (lock) {
            if (state == WorkerState.STOPPING) {
                transition(WorkerState.STOPPED);
                closeRegistry();
            }
        }
        return true;
    }

    /** {@link #shutdown()} and wait for the drain timeout plus a margin. */
    @Override
    public void close() {
        shutdown();
        try {
            awaitTermination(Duration.ofMillis(config.getLong(WorkerConfig.DRAIN_TIMEOUT_MS)).plusSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public WorkerState state() {
        return state;
    }

    public String workerId() {
        return config.workerId();
    }

    public WorkerConfig config() {
        return config;
    }

    /** Handler threads that ignored interruption after a timeout and have not returned yet. */
    public int stuckSlots() {
        WorkerRuntime r = runtime;
        return r == null ? 0 : r.stuckSlots();
    }

    /** Tasks running now over all capabilities. */
    public int inFlight() {
        WorkerRuntime r = runtime;
        return r == null ? 0 : r.inFlight();
    }

    private void onLoopFailure(Throwable failure) {
        synchronized (lock) {
            if (state != WorkerState.STOPPED && state != WorkerState.FAILED) {
                state = WorkerState.FAILED;
                runtime.stop();
            }
        }
    }

    private void transition(WorkerState target) {
        if (!state.canTransitionTo(target)) {
            throw new IllegalStateException("worker " + config.workerId() + " cannot go from " + state + " to " + target);
        }
        state = target;
    }

    private void closeRegistry() {
        if (ownsRegistry) {
            try {
                registry.close();
            } catch (Exception ignored) {
                // closing an HTTP client
            }
        }
    }
}
