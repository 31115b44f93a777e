package io.fibflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fibflow.api.client.TaskView;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java quick start, run as written against a dev stack. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QuickstartIT {

    @Test
    void shouldGreetAdaWhenTheQuickstartRunsAgainstTheDevStack(@TempDir Path dir) throws Exception {
        try (DevStack stack = new DevStack(dir, DemoIT.freePort(), DemoIT.freePort(), DemoIT.freePort())) {
            TaskView done = Quickstart.run(stack.broker.bootstrapServers(), stack.registry.url(), stack.apiUrl());
            assertEquals("SUCCEEDED", done.status(), String.valueOf(done.raw()));
            assertEquals("quickstart", done.capability());
            assertEquals("hello, Ada", done.result().path("greeting").asText(), String.valueOf(done.raw()));
        }
    }
}
