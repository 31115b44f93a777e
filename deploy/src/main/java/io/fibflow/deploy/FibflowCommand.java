package io.fibflow.deploy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fibflow} command: the dev stack and cluster tooling.
 *
 * <pre>
 * fibflow dev                 # embedded KRaft broker + Schema Registry + topics, until Ctrl-C
 * fibflow dev --check         # start, verify a Task round trip through Kafka and the registry, exit
 * fibflow topics create --bootstrap-servers host:9092
 * </pre>
 */
@Command(name = "fibflow", mixinStandardHelpOptions = true, versionProvider = FibflowCommand.Version.class,
        description = "Kafka-native tasks and workflows.",
        subcommands = {DevCommand.class, TopicsCommand.class})
public final class FibflowCommand {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new FibflowCommand()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FibflowCommand.class.getPackage().getImplementationVersion();
            return new String[] {"fibflow " + (v == null ? "dev" : v)};
        }
    }
}
