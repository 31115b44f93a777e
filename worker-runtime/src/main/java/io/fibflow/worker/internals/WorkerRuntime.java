package io.fibflow.worker.internals;

import io.fibflow.api.topics.DelayTiers;
import io.fibflow.api.codec.PayloadCodecs;
import io.fibflow.api.registry.SchemaRegistryClient;
import io.fibflow.worker.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running parts of a worker: one loop thread per capability, the handler pool, an admin client. */
public final class WorkerRuntime {

    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

    private final WorkerConfig config;
    private final Shared shared;
    private final Admin admin;
    private final List<CapabilityLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Consumer<Throwable> onFailure;
    private final DelayForwarder forwarder;
    private final Cancellations cancellations;
    private final Heartbeat heartbeat;

    public WorkerRuntime(WorkerConfig config, HandlerRegistry handlers, SchemaRegistryClient registry,
            PayloadCodecs codecs, Clock clock, Consumer<Throwable> onFailure) {
        this.config = config;
        this.onFailure = onFailure;
        this.admin = Admin.create(Map.copyOf(config.kafkaClientProperties()));
        ExecutorService pool = Executors.newFixedThreadPool(config.getInt(WorkerConfig.MAX_CONCURRENCY),
                named("fibflow-handler-" + config.workerId()));
        TopicCatalog catalog = new TopicCatalog(admin);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named("fibflow-timer-" + config.workerId()));
        timer.setRemoveOnCancelPolicy(true); // one deadline per attempt: drop them as attempts finish
        ClientFactory clients = new ClientFactory(config);
        this.cancellations = new Cancellations(clients.cancellationsConsumer(), config.topicNames().cancellations());
        this.shared = new Shared(config, handlers, new RecordCodec(registry), codecs, catalog, pool, timer,
                cancellations, clock);
        DelayTiers tiers = new DelayTiers(config.delayTiers());
        OutcomeRecords outcomes = new OutcomeRecords(config.topicNames(), shared.codec, codecs, catalog,
                config.workerId(), config.maxValueBytes(), clock, tiers);
        for (String capability : config.capabilities()) {
            loops.add(new CapabilityLoop(capability, shared, clients, outcomes));
        }
        this.forwarder = config.getBoolean(WorkerConfig.DELAY_FORWARDER_ENABLED)
                ? new DelayForwarder(config.topicNames(), tiers, clients, outcomes, cancellations) : null;
        this.heartbeat = new Heartbeat(config, handlers, shared.codec, clients.statusProducer(), clock,
                shared.inFlight::get, shared.stuckSlots::get);
        cancellations.onCancel(id -> loops.forEach(l -> l.cancelRunning(id)));
    }

    /** Reads the cancellations to their end, then starts the heartbeat, the forwarder and the loops. */
    public void start() {
        cancellations.catchUp(Duration.ofSeconds(60));
        Thread follower = new Thread(cancellations, "fibflow-cancellations-" + config.workerId());
        follower.setDaemon(true);
        follower.start();
        heartbeat.start(shared.timer);
        if (forwarder != null) {
            Thread t = new Thread(() -> {
                forwarder.run();
                if (forwarder.failure() != null) {
                    onFailure.accept(forwarder.failure());
                }
            }, "fibflow-delay-" + config.workerId());
            threads.add(t);
            t.start();
        }
        for (CapabilityLoop loop : loops) {
            Thread t = new Thread(() -> {
                loop.run();
                if (loop.failure() != null) {
                    onFailure.accept(loop.failure());
                }
            }, "fibflow-poll-" + config.workerId() + "-" + loop.capability());
            threads.add(t);
            t.start();
        }
    }

    public void setPaused(boolean paused) {
        loops.forEach(l -> l.setPaused(paused));
    }

    public void stop() {
        loops.forEach(CapabilityLoop::stop);
        if (forwarder != null) {
            forwarder.stop();
        }
    }

    private boolean terminated;

    public synchronized boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (terminated) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            t.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            if (t.isAlive()) {
                return false;
            }
        }
        shared.pool.shutdownNow();
        shared.timer.shutdownNow();
        // A beat the timer is sending now must not land after the tombstone (the worker would reappear).
        if (!shared.timer.awaitTermination(5, TimeUnit.SECONDS)) {
            log.warn("the heartbeat timer did not stop; a late beat may follow the tombstone");
        }
        cancellations.stop();
        heartbeat.tombstone();
        admin.close(Duration.ofSeconds(5));
        return true;
    }

    public int inFlight() {
        return shared.inFlight.get();
    }

    public int stuckSlots() {
        return shared.stuckSlots.get();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
