package io.fibflow.embedded.interop;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** An Apicurio Registry started as a separate JVM from its Maven Central distribution. */
final class ApicurioProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;
    private final Duration startupTime;

    private ApicurioProcess(Process process, Path log, int port, Duration startupTime) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.startupTime = startupTime;
    }

    static ApicurioProcess start(Path jar, Duration timeout) throws IOException, InterruptedException {
        int port = freePort();
        int managementPort = freePort();
        Path log = Files.createTempFile("apicurio-", ".log");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(List.of(Interop.javaBinary(), "-Xmx384m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-Dapicurio.rules.global.compatibility=BACKWARD",
                "-jar", jar.toString()))
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ApicurioProcess apicurio = new ApicurioProcess(process, log, port, null);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = started + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio exited with " + process.exitValue() + ":\n" + apicurio.logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apicurio.url() + "/subjects"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return new ApicurioProcess(process, log, port, Duration.ofNanos(System.nanoTime() - started));
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200); // polling another process's readiness, not synchronising threads
        }
        process.destroyForcibly();
        throw new IllegalStateException("Apicurio not ready within " + timeout + ":\n" + apicurio.logTail());
    }

    /** The Confluent-compatible API's base URL. */
    String url() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    Duration startupTime() {
        return startupTime;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
