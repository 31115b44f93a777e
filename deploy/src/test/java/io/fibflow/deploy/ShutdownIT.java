package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a {@code fibflow dev} process closes the whole stack before the JVM exits. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShutdownIT {

    @Test
    void shouldCloseTheDevStackBeforeExitingWhenSentSigterm(@TempDir Path dir) throws Exception {
        int http = DemoIT.freePort();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), FibflowCommand.class.getName(), "dev",
                "--data-dir", dir.toString(), "--kafka-port", "0", "--registry-port", "0",
                "--http-port", Integer.toString(http));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> copy(p.getInputStream(), out), "dev-output");
        pump.start();
        try {
            new Api("http://127.0.0.1:" + http + "/api/v1").await("/health", Duration.ofSeconds(90), r -> r.status() == 200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!out.toString(StandardCharsets.UTF_8).contains("Ctrl-C stops the stack")) {
                assertTrue(System.nanoTime() < deadline, "the dev stack did not report ready:\n" + out);
                Thread.sleep(50); // polling the process's output, with a deadline
            }
            // SIGTERM, as a supervisor would. Sent with kill(1): under failsafe, Process.destroy() ended the
            // child with exit 143 before its shutdown hooks ran (observed here), which is not what a supervisor does.
            assertTrue(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor() == 0, "kill -TERM failed");
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the dev process did not exit after SIGTERM");
            pump.join(10_000);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("fibflow: stopped cleanly"), "the stack was cut off while closing (exit "
                    + p.exitValue() + "):\n" + printed);
        } finally {
            p.destroyForcibly();
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException closed) {
            // the process is gone
        }
    }
}
