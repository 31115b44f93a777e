package io.fibflow.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code fibflow} commands as processes of their own, as a user would, on this test's class path. */
final class CliProcess {

    /** A finished command: its exit code and standard output. */
    record Run(int exit, String out) {
    }

    private CliProcess() {
    }

    /** Runs one command to its end (at most 120 s); {@code cluster} options follow the command name. */
    static Run run(String[] cluster, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = runTo(out, cluster, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    /** Runs one command, copying its output into {@code out} as it comes; returns its exit code, -1 if it hung. */
    static int runTo(ByteArrayOutputStream out, String[] cluster, String... args) {
        try {
            Process p = builder(cluster, args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getInputStream().transferTo(out);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("running fibflow " + args[0] + " failed", e);
        }
    }

    /** Starts a long-running command (a worker, a topology), its output and errors going to {@code log}. */
    static Process start(Path log, String[] cluster, String... args) throws IOException {
        return builder(cluster, args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static ProcessBuilder builder(String[] cluster, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), FibflowCommand.class.getName(), args[0]));
        cmd.addAll(List.of(cluster));
        cmd.addAll(List.of(args).subList(1, args.length));
        return new ProcessBuilder(cmd);
    }
}
