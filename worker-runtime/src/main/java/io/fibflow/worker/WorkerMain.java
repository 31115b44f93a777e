package io.fibflow.worker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one worker process from a properties file plus {@code key=value} overrides, with the
 * handlers of every {@link io.fibflow.api.HandlerProvider} on the class path:
 * {@code java -cp worker.jar:handlers.jar io.fibflow.worker.WorkerMain worker.properties fibflow.worker.id=gpu-1}.
 * SIGTERM drains and leaves the group; a bad configuration exits 2 naming the key.
 */
public final class WorkerMain {

    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> props = new HashMap<>();
        try {
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    props.put(arg.substring(0, eq), arg.substring(eq + 1));
                } else {
                    props.putAll(load(Path.of(arg)));
                }
            }
            run(props);
        } catch (ConfigException | IOException e) {
            System.err.println("fibflow worker: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs a worker with the class path's handlers until it stops (SIGTERM drains it). */
    public static void run(Map<String, Object> props) throws InterruptedException {
        Worker worker = new Worker(props);
        int providers = worker.useProviders(Thread.currentThread().getContextClassLoader());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.shutdown();
            try {
                worker.awaitTermination(Duration.ofMillis(worker.config().getLong(WorkerConfig.DRAIN_TIMEOUT_MS))
                        .plusSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fibflow-worker-shutdown"));
        worker.start();
        // One line on stdout, for supervisors and tests that start worker processes.
        System.out.println("fibflow worker " + worker.workerId() + " started: capabilities "
                + worker.config().capabilities() + ", handlers " + worker.handlerNames() + " from " + providers
                + " provider(s)");
        System.out.flush();
        log.info("worker {} running", worker.workerId());
        while (!worker.awaitTermination(Duration.ofSeconds(1))) {
            // keep the main thread alive while the worker runs
        }
        if (worker.state() == WorkerState.FAILED) {
            System.exit(1);
        }
    }

    private static Map<String, Object> load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        Map<String, Object> out = new HashMap<>();
        p.forEach((k, v) -> out.put(k.toString(), v.toString()));
        return out;
    }
}
