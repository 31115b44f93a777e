package io.fibflow.embedded.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Where the third-party tools installed by {@code bin/interop-setup} live, and whether they must. */
final class Interop {

    static final String APICURIO_VERSION = "3.0.9";

    private Interop() {
    }

    /** The repository root: failsafe runs each module's tests from the module directory. */
    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("interop"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no interop/ directory above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    /**
     * Skips the test when a tool is missing, unless {@code FIBFLOW_REQUIRE_INTEROP=1} (as
     * {@code bin/test} sets), in which case a missing tool fails it.
     */
    static void requireTool(boolean present, String what) {
        if (present) {
            return;
        }
        String message = what + " is not installed; run bin/interop-setup (bin/test does)";
        if ("1".equals(System.getenv("FIBFLOW_REQUIRE_INTEROP"))) {
            fail(message);
        }
        Assumptions.assumeTrue(false, message);
    }

    static Path apicurioJar() {
        return root().resolve("interop/apicurio/dist/apicurio-registry-app-" + APICURIO_VERSION + "-runner.jar");
    }

    static Path nodeDir() {
        return root().resolve("interop/node");
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for a process to end within {@code timeout}; kills it and fails otherwise. */
    static int await(Process process, Duration timeout, String what) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail(what + " did not finish within " + timeout);
        }
        return process.exitValue();
    }
}
