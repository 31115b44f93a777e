package io.fibflow.deploy;

import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.embedded.EmbeddedKafkaBroker;
import io.fibflow.embedded.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fibflow dev}: a real KRaft broker and Schema Registry in this process, with the topic
 * plan created, until Ctrl-C. Worker pools, the topology and the demo join it as their issues land.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run the embedded dev stack: a KRaft Kafka broker, a Schema Registry and fibflow's topics.")
final class DevCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = ".fibflow/dev",
            description = "Where the broker keeps its data; kept across runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081",
            description = "Schema Registry port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--check",
            description = "Start the stack, send a Task through Kafka and the registry, verify it, print figures and exit.")
    boolean check;

    @Override
    public Integer call() throws Exception {
        TopicPlan plan = TopicPlan.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .dataDir(dataDir.toAbsolutePath().resolve("kafka")).brokerPort(kafkaPort).build().start();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                        .bootstrapServers(broker.bootstrapServers()).port(registryPort).build().start()) {
            TopicPlanner.Result topics;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                topics = new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
            }
            System.out.printf("fibflow dev stack ready%n"
                            + "  bootstrap servers  %s%n"
                            + "  schema registry    %s%n"
                            + "  data dir           %s%n"
                            + "  topics             %d (created %d, verified %d)%n"
                            + "  start-up           broker %d ms, registry %d ms%n",
                    broker.bootstrapServers(), registry.url(), dataDir.toAbsolutePath(),
                    plan.topics().size(), topics.created().size(), topics.verified().size(),
                    broker.startupTime().toMillis(), registry.startupTime().toMillis());
            if (check) {
                return new DevCheck(broker.bootstrapServers(), registry.url()).run() ? 0 : 1;
            }
            System.out.println("Ctrl-C stops it.");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "fibflow-dev-shutdown"));
            stopped.await();
        }
        return 0;
    }
}
