package io.fibflow.deploy;

import io.fibflow.api.client.TaskClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fibflow dev}: the whole system in this process — a KRaft broker, the Schema Registry,
 * the topics, the topology with its API and a worker per pool — until Ctrl-C; {@code --demo} runs
 * the seed's scenario on it and exits 0 when every task succeeded.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run the embedded dev stack: Kafka (KRaft), Schema Registry, topics, topology + API, worker pools.")
final class DevCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = ".fibflow/dev",
            description = "Where the broker and topology keep their data; kept across runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081",
            description = "Schema Registry port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "API port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--demo", description = "Run the demo workflow, print the final table and exit (0 when it succeeded).")
    boolean demo;

    @Option(names = "--check", description = "Start the stack, round-trip a Task through Kafka and the registry, and exit.")
    boolean check;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        // Only the long-running form holds the JVM's shutdown until the stack has closed (ShutdownGate).
        try (ShutdownGate gate = check || demo ? null : new ShutdownGate();
                DevStack stack = new DevStack(dataDir.toAbsolutePath(), kafkaPort, registryPort, httpPort)) {
            System.out.printf("fibflow dev stack ready in %.1f s%n"
                            + "  bootstrap servers  %s%n"
                            + "  schema registry    %s%n"
                            + "  API                %s%n"
                            + "  worker pools       %s%n"
                            + "  data dir           %s%n",
                    (System.nanoTime() - t0) / 1e9, stack.broker.bootstrapServers(), stack.registry.url(), stack.apiUrl(),
                    DevStack.POOLS, dataDir.toAbsolutePath());
            if (check) {
                return new DevCheck(stack.broker.bootstrapServers(), stack.registry.url()).run() ? 0 : 1;
            }
            if (demo) {
                try (TaskClient client = TaskClient.builder().bootstrapServers(stack.broker.bootstrapServers())
                        .schemaRegistryUrl(stack.registry.url()).apiUrl(stack.apiUrl()).topicPlan(stack.plan).build()) {
                    return new Demo(client, stack.apiUrl(), System.out).runAndReport(Duration.ofSeconds(90));
                }
            }
            System.out.println("Try: ./fibflow submit data_processing --payload '{\"data\":[\"A\",\"b\"]}' --wait"
                    + "   (Ctrl-C stops the stack)");
            try {
                gate.await();
            } catch (InterruptedException stop) {
                // An embedding program (or a test) stopped us: a clean stop, like Ctrl-C. The flag
                // stays cleared so that closing the stack can wait for its parts.
                System.out.println("fibflow dev: stopping");
            }
        }
        return 0;
    }
}
