package io.fibflow.deploy;

import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fibflow topics create}: creates or verifies the topic plan on a cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage fibflow's topics.",
        subcommands = {TopicsCommand.Create.class})
final class TopicsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create the topics of the plan that are missing and verify the others.")
    static final class Create implements Callable<Integer> {

        @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092",
                description = "Kafka bootstrap servers (default: the dev stack's, ${DEFAULT-VALUE}).")
        String bootstrapServers;

        @Option(names = "--capabilities", split = ",", defaultValue = "default,gpu,high-memory",
                description = "Worker pools, one tasks.<capability> topic each (default: ${DEFAULT-VALUE}).")
        List<String> capabilities;

        @Option(names = "--prefix", defaultValue = "", description = "Prefix of every topic name.")
        String prefix;

        @Option(names = "--event-partitions", defaultValue = "6",
                description = "Partitions of task-events and task-commands; fixed for the deployment's life.")
        int eventPartitions;

        @Option(names = "--replication-factor", defaultValue = "1", description = "Replication factor of new topics.")
        short replicationFactor;

        @Override
        public Integer call() {
            TopicPlan plan = TopicPlan.builder().prefix(prefix).capabilities(capabilities.toArray(String[]::new))
                    .eventPartitions(eventPartitions).replicationFactor(replicationFactor).build();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                TopicPlanner.Result result = new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
                System.out.println("created: " + result.created());
                System.out.println("verified: " + result.verified());
            }
            return 0;
        }
    }
}
