package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A service refused for its settings fails at start-up with one line naming the setting, exit 2, no stack trace. */
class BadSettingsTest {

    @Test
    void shouldNameTheSettingAndExit2WhenAWorkerSettingIsInvalid() {
        Result r = run("worker", "--max-concurrency", "0", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("fibflow worker: ") && r.err().contains("fibflow.worker.max.concurrency"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void shouldNameTheSettingAndExit2WhenATopologySettingIsInvalid() {
        Result r = run("topology", "--event-partitions", "0", "--state-dir", "unused", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("fibflow topology: eventPartitions must be >= 1, got 0"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void shouldNameTheOptionWhenADurationDoesNotParse() {
        Result r = run("submit", "work", "--delay", "soon");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("Invalid value for option '--delay': 'soon' is not a duration"), r.err());
    }

    private record Result(int exit, String err) {
    }

    private static Result run(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = FibflowCommand.run(args);
            return new Result(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }
}
