package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code fibflow dev --check} starts the real stack, round-trips a Task and exits 0, twice on one data dir. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DevCommandIT {

    @Test
    void shouldStartTheStackAndPassItsCheckThenRestartOnTheSameData(@TempDir Path dir) {
        String[] args = {"dev", "--check", "--data-dir", dir.toString(), "--kafka-port", "0", "--registry-port", "0"};
        assertEquals(0, FibflowCommand.run(args));
        assertEquals(0, FibflowCommand.run(args));
    }
}
