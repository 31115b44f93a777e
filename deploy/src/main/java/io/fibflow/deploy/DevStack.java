package io.fibflow.deploy;

import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.embedded.EmbeddedKafkaBroker;
import io.fibflow.embedded.EmbeddedSchemaRegistry;
import io.fibflow.examples.ExampleHandlers;
import io.fibflow.examples.GpuProbe;
import io.fibflow.topology.TopologyServer;
import io.fibflow.topology.TopologySettings;
import io.fibflow.worker.Worker;
import io.fibflow.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The whole fibflow system in one process, for development and the demo: a KRaft broker, the
 * Schema Registry, the topics, the topology with its HTTP API, and one worker per pool
 * ({@code default}, {@code gpu}, {@code high-memory}) running the example handlers.
 */
final class DevStack implements AutoCloseable {

    static final List<String> POOLS = List.of("default", "gpu", "high-memory");

    private final List<AutoCloseable> parts = new ArrayList<>();
    final EmbeddedKafkaBroker broker;
    final EmbeddedSchemaRegistry registry;
    final TopologyServer topology;
    final TopicPlan plan = TopicPlan.builder().capabilities(POOLS.toArray(String[]::new)).build();
    final List<Worker> workers = new ArrayList<>();

    DevStack(Path dataDir, int kafkaPort, int registryPort, int httpPort) {
        try {
            broker = add(EmbeddedKafkaBroker.builder().dataDir(dataDir.resolve("kafka")).brokerPort(kafkaPort).build().start());
            registry = add(EmbeddedSchemaRegistry.builder().bootstrapServers(broker.bootstrapServers()).port(registryPort)
                    .build().start());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
            }
            topology = add(TopologyServer.builder().settings(TopologySettings.builder().plan(plan)
                            .bootstrapServers(broker.bootstrapServers()).stateDir(dataDir.resolve("topology"))
                            .override("commit.interval.ms", 100).build())
                    .schemaRegistryUrl(registry.url()).httpPort(httpPort).build().start());
            awaitRunning(topology, Duration.ofSeconds(60));
            for (String pool : POOLS) {
                Worker w = new Worker(workerProps(pool));
                // The dev stack's gpu pool stands in for a GPU box: its probe reports a configured GPU
                // unless nvidia-smi finds a real one; the other pools have none.
                GpuProbe probe = pool.equals("gpu") ? () -> {
                    String real = GpuProbe.fromEnvironment().detect();
                    return real != null ? real : "simulated GPU (dev stack gpu pool)";
                } : () -> null;
                new ExampleHandlers(probe).register(w);
                workers.add(w);
                add(w);
                w.start();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void awaitRunning(TopologyServer topology, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (topology.streams().kafkaStreams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the topology did not reach RUNNING within " + timeout + ": "
                        + topology.streams().kafkaStreams().state());
            }
            try {
                Thread.sleep(50); // polling the Streams state with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the topology", e);
            }
        }
    }

    private Map<String, Object> workerProps(String pool) {
        Map<String, Object> p = new HashMap<>();
        p.put(WorkerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        p.put(WorkerConfig.SCHEMA_REGISTRY_URL, registry.url());
        p.put(WorkerConfig.CAPABILITIES, pool);
        p.put(WorkerConfig.WORKER_ID, "dev-" + pool);
        p.put(WorkerConfig.MAX_CONCURRENCY, pool.equals("default") ? 8 : 2);
        p.put(WorkerConfig.DRAIN_TIMEOUT_MS, 5_000L);
        // Only the default pool's worker forwards delays in the dev stack; one forwarder is enough here.
        p.put(WorkerConfig.DELAY_FORWARDER_ENABLED, pool.equals("default"));
        return p;
    }

    String apiUrl() {
        return topology.url();
    }

    private <T extends AutoCloseable> T add(T part) {
        parts.add(0, part);
        return part;
    }

    @Override
    public void close() {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("fibflow dev: closing " + part.getClass().getSimpleName() + " failed: " + e);
            }
        }
        parts.clear();
    }
}
