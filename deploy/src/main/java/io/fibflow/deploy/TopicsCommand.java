package io.fibflow.deploy;

import io.fibflow.api.FibflowException;
import io.fibflow.api.topics.TopicPlan;
import io.fibflow.api.topics.TopicPlanner;
import io.fibflow.api.topics.TopicSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fibflow topics create}: creates or verifies the topic plan on a cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage fibflow's topics.",
        subcommands = {TopicsCommand.Create.class})
final class TopicsCommand {

    /**
     * Builds a {@link TopicPlan} from the options and ensures it on the cluster. Idempotent: run it
     * before every deployment (compose's {@code topics} service, a Kubernetes init container); it
     * creates what is missing, verifies the rest, and fails when an existing topic contradicts the plan.
     */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create the topics of the plan that are missing and verify the others.")
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        // The description is static on purpose: docs/cli.md is generated from it and must not
        // depend on the environment of whoever regenerates it.
        @Option(names = "--bootstrap-servers", defaultValue = "${env:FIBFLOW_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
                description = "Kafka bootstrap servers (default: $FIBFLOW_BOOTSTRAP_SERVERS, else 127.0.0.1:9092).")
        String bootstrapServers;

        @Option(names = "--topic-prefix", defaultValue = "",
                description = "Prefix of every fibflow topic name, as for every other command (alias: --prefix).")
        String topicPrefix;

        /** The option's first name, kept so that existing scripts keep working; hidden from the help. */
        @Option(names = "--prefix", hidden = true)
        String prefixAlias;

        @Option(names = "--capabilities", split = ",", defaultValue = "default,gpu,high-memory",
                paramLabel = "<name>[:<partitions>]",
                description = "Worker pools, one tasks.<capability> topic each; a pool may name its own partition "
                        + "count, e.g. gpu:2 (default: ${DEFAULT-VALUE}).")
        List<String> capabilities;

        @Option(names = "--task-partitions", defaultValue = "6",
                description = "Partitions of each tasks.<capability> topic that names none: at least as many as the "
                        + "pool will ever have workers (default: ${DEFAULT-VALUE}).")
        int taskPartitions;

        @Option(names = "--event-partitions", defaultValue = "6",
                description = "Partitions of task-events and task-commands; fixed for the deployment's life "
                        + "(default: ${DEFAULT-VALUE}).")
        int eventPartitions;

        @Option(names = "--delay-tiers", split = ",", defaultValue = "1s,5s,30s,2m,10m,1h", paramLabel = "<tier>",
                description = "Delay tiers, one tasks.delay.<tier> topic each; must match the workers' "
                        + "fibflow.delay.tiers (default: ${DEFAULT-VALUE}).")
        List<String> delayTiers;

        @Option(names = "--max-record-bytes", defaultValue = "1048576",
                description = "The record-size limit (topic max.message.bytes); must match the workers' "
                        + "fibflow.max.record.bytes (default: ${DEFAULT-VALUE}).")
        int maxRecordBytes;

        @Option(names = "--replication-factor", defaultValue = "1",
                description = "Replication factor of new topics (default: ${DEFAULT-VALUE}).")
        short replicationFactor;

        @Override
        public Integer call() {
            TopicPlan plan = plan();
            PrintWriter out = spec.commandLine().getOut();
            TopicPlanner.Result result;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                result = new TopicPlanner(plan).ensure(admin, Duration.ofSeconds(30));
            } catch (FibflowException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("fibflow topics create: " + e.getMessage());
                err.flush();
                return 1;
            }
            // A verified topic may have more partitions than planned where the plan allows it.
            for (TopicSpec topic : plan.topics()) {
                boolean created = result.created().contains(topic.name());
                out.printf("%-9s %-40s %s%d partitions%n", created ? "created" : "verified", topic.name(),
                        created ? "" : "plan: ", topic.partitions());
            }
            out.printf("%d created, %d verified on %s (replication factor %d, max.message.bytes %d)%n",
                    result.created().size(), result.verified().size(), bootstrapServers,
                    plan.replicationFactor(), plan.maxRecordBytes());
            out.flush();
            return 0;
        }

        /**
         * The plan from the options; a value the builder refuses is a usage error naming its option.
         * Package-private so that DeploymentFilesTest can read the plan a manifest's arguments build.
         */
        TopicPlan plan() {
            TopicPlan.Builder b = TopicPlan.builder();
            if (prefixAlias != null && !topicPrefix.isEmpty() && !prefixAlias.equals(topicPrefix)) {
                throw new ParameterException(spec.commandLine(),
                        "--prefix is an alias of --topic-prefix; give one, not both");
            }
            String prefix = prefixAlias != null && topicPrefix.isEmpty() ? prefixAlias : topicPrefix;
            set("--topic-prefix", () -> b.prefix(prefix));
            set("--task-partitions", () -> b.taskPartitions(taskPartitions));
            set("--event-partitions", () -> b.eventPartitions(eventPartitions));
            set("--delay-tiers", () -> b.delayTiers(delayTiers.toArray(String[]::new)));
            set("--max-record-bytes", () -> b.maxRecordBytes(maxRecordBytes));
            set("--replication-factor", () -> b.replicationFactor(replicationFactor));
            set("--capabilities", () -> {
                b.capabilities();
                for (String c : capabilities) {
                    int colon = c.indexOf(':');
                    if (colon < 0) {
                        b.capability(c.trim(), 0);
                    } else {
                        b.capability(c.substring(0, colon).trim(), partitions(c.substring(colon + 1).trim(), c));
                    }
                }
            });
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                throw usage("--capabilities", e);
            }
        }

        private static int partitions(String value, String capability) {
            try {
                int n = Integer.parseInt(value);
                if (n < 1) {
                    throw new IllegalArgumentException("partitions of " + capability + " must be >= 1, got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + capability + "' is not <name>[:<partitions>]", e);
            }
        }

        private void set(String option, Runnable setter) {
            try {
                setter.run();
            } catch (IllegalArgumentException e) {
                throw usage(option, e);
            }
        }

        /** The builder's message, naming the option as picocli's own conversion errors do. */
        private ParameterException usage(String option, IllegalArgumentException e) {
            return new ParameterException(spec.commandLine(),
                    "Invalid value for option '" + option + "': " + e.getMessage(), e);
        }
    }
}
