package io.fibflow.deploy;

import io.fibflow.api.client.TaskClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fibflow demo}: the demo of {@code fibflow dev --demo} against a running cluster (DESIGN §8:
 * pointing it at a real cluster is one flag). The cluster needs a topology and workers with the
 * example handlers in the default, gpu and high-memory pools.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the demo workflow on a running cluster (a topology and the example handlers in the "
                + "default, gpu and high-memory pools); exits 0 when every task succeeded.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--timeout", defaultValue = "90s", converter = DurationConverter.class,
            description = "Give up after this long (default: 90s).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        try (TaskClient client = TaskCommands.client(cluster)) {
            return new Demo(client, cluster.apiUrl, System.out).runAndReport(timeout);
        }
    }
}
