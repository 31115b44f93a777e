package io.fibflow.deploy;

import io.fibflow.api.RecordHeaders;
import io.fibflow.api.topics.TopicNames;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.topology.TopologyServer;
import io.fibflow.topology.TopologySettings;
import io.fibflow.worker.WorkerConfig;
import io.fibflow.worker.WorkerMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The long-running services of the CLI (a worker pool, a topology instance) and the dead-letter view. */
final class ServiceCommands {

    private ServiceCommands() {
    }

    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = "Run a worker with every handler found on the class path (HandlerProvider SPI).")
    static final class Worker implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--capabilities", split = ",", defaultValue = "default",
                description = "Pools this worker serves (default: default).")
        List<String> capabilities;

        @Option(names = "--max-concurrency", defaultValue = "8", description = "Tasks at once (default: 8).")
        int maxConcurrency;

        @Option(names = "--worker-id", description = "Worker id (default: <host>-<random>).")
        String workerId;

        @Option(names = "--group-protocol", defaultValue = "classic", description = "classic or consumer (KIP-848).")
        String groupProtocol;

        @Option(names = "--set", description = "Any other worker setting, key=value (see docs/worker-config.md).")
        Map<String, String> settings = new HashMap<>();

        @Override
        public Integer call() throws Exception {
            Map<String, Object> props = new HashMap<>(settings);
            props.put(WorkerConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers);
            props.put(WorkerConfig.SCHEMA_REGISTRY_URL, cluster.schemaRegistryUrl);
            props.put(WorkerConfig.CAPABILITIES, String.join(",", capabilities));
            props.put(WorkerConfig.MAX_CONCURRENCY, maxConcurrency);
            props.put(WorkerConfig.GROUP_PROTOCOL, groupProtocol);
            props.put(WorkerConfig.TOPIC_PREFIX, cluster.topicPrefix);
            if (workerId != null) {
                props.put(WorkerConfig.WORKER_ID, workerId);
            }
            WorkerMain.run(props);
            return 0;
        }
    }

    @Command(name = "topology", mixinStandardHelpOptions = true,
            description = "Run a topology instance: task state, parent/child join, commands and the HTTP API.")
    static final class Topology implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--http-port", defaultValue = "8080", description = "API port (default: 8080).")
        int httpPort;

        @Option(names = "--http-host", defaultValue = "0.0.0.0", description = "Bind address (default: 0.0.0.0).")
        String httpHost;

        @Option(names = "--advertised-host", defaultValue = "127.0.0.1",
                description = "How other instances reach this one (a StatefulSet's stable host name).")
        String advertisedHost;

        @Option(names = "--state-dir", required = true, description = "This instance's own state directory.")
        Path stateDir;

        @Option(names = "--instances", defaultValue = "1", description = "Instances that will run (standbys when > 1).")
        int instances;

        @Option(names = "--event-partitions", defaultValue = "6", description = "Partitions of task-events (must match).")
        int eventPartitions;

        @Option(names = "--capabilities", split = ",", defaultValue = "default,gpu,high-memory",
                description = "The pools whose lag GET /workers reports (default: default,gpu,high-memory).")
        List<String> capabilities;

        @Option(names = "--max-record-bytes", defaultValue = "1048576",
                description = "The record-size limit; must match the topics' and workers' (default: 1048576).")
        int maxRecordBytes;

        @Override
        public Integer call() throws InterruptedException {
            TopicPlan plan = TopicPlan.builder().prefix(cluster.topicPrefix).eventPartitions(eventPartitions)
                    .capabilities(capabilities.toArray(String[]::new)).maxRecordBytes(maxRecordBytes).build();
            try (ShutdownGate gate = new ShutdownGate(); TopologyServer server = TopologyServer.builder()
                    .settings(TopologySettings.builder().plan(plan).bootstrapServers(cluster.bootstrapServers)
                            .stateDir(stateDir).build())
                    .schemaRegistryUrl(cluster.schemaRegistryUrl).httpHost(httpHost).advertisedHost(advertisedHost)
                    .httpPort(httpPort).instances(instances).build().start()) {
                System.out.println("fibflow topology running; API at " + server.url() + " (Ctrl-C stops it)");
                gate.await();
            }
            return 0;
        }
    }

    @Command(name = "dead-letters", mixinStandardHelpOptions = true, description = "List the dead-letter topic.")
    static final class DeadLetters implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            String topic = TopicNames.withPrefix(cluster.topicPrefix).deadLetter();
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "fibflow-cli-" + UUID.randomUUID());
            String format = "%-38s %-24s %-22s %8s %s%n";
            System.out.printf(format, "key", "reason", "source", "attempts", "message");
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                int n = 0;
                while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        System.out.printf(format, r.key(), header(r, RecordHeaders.DLT_REASON),
                                header(r, RecordHeaders.DLT_SOURCE_TOPIC) + "@" + header(r, RecordHeaders.DLT_SOURCE_OFFSET),
                                header(r, RecordHeaders.DLT_ATTEMPTS), header(r, RecordHeaders.DLT_ERROR_MESSAGE));
                        n++;
                    }
                }
                System.out.println(n + " dead letter(s) as of " + Instant.now());
            }
            return 0;
        }

        private static String header(ConsumerRecord<String, byte[]> r, String key) {
            Header h = r.headers().lastHeader(key);
            return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
        }
    }
}
