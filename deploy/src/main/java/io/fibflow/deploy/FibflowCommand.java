package io.fibflow.deploy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fibflow} command: the dev stack and cluster tooling.
 *
 * <pre>
 * fibflow dev --demo          # the whole system in one process, the seed's demo, a final table
 * fibflow dev                 # the same stack until Ctrl-C
 * fibflow submit train_model --capability gpu --payload '{"epochs":10}' --wait
 * fibflow worker --capabilities gpu --bootstrap-servers kafka:9092 --schema-registry-url http://registry:8081
 * fibflow topics create --bootstrap-servers host:9092
 * </pre>
 */
@Command(name = "fibflow", mixinStandardHelpOptions = true, versionProvider = FibflowCommand.Version.class,
        description = "Kafka-native tasks and workflows.",
        subcommands = {DevCommand.class, DemoCommand.class, ServiceCommands.Worker.class, ServiceCommands.Topology.class,
                TaskCommands.Submit.class, TaskCommands.Get.class, TaskCommands.List.class, TaskCommands.Watch.class,
                TaskCommands.Resume.class, TaskCommands.Cancel.class, TaskCommands.Redrive.class,
                ServiceCommands.DeadLetters.class, TopicsCommand.class})
public final class FibflowCommand {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new FibflowCommand()).setExecutionExceptionHandler(FibflowCommand::badSetting)
                .execute(args);
    }

    /** Exit code of a command refused for its settings (as {@code WorkerMain} uses). */
    static final int BAD_SETTING = 2;

    /**
     * A setting refused at start-up is the operator's to fix: one line naming it, exit 2, no stack
     * trace. Anything else is a failure and keeps picocli's report.
     */
    private static int badSetting(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof org.apache.kafka.common.config.ConfigException || e instanceof IllegalArgumentException) {
            cmd.getErr().println("fibflow " + cmd.getCommandName() + ": " + e.getMessage());
            return BAD_SETTING;
        }
        throw e;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FibflowCommand.class.getPackage().getImplementationVersion();
            return new String[] {"fibflow " + (v == null ? "dev" : v)};
        }
    }
}
