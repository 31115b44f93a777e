package io.fibflow.worker.testing;

import io.fibflow.api.HandlerProvider;
import io.fibflow.api.HandlerRegistrar;
import io.fibflow.api.TaskOutcome;
import java.util.Map;

/** Handlers that worker processes started by tests load through the {@link HandlerProvider} SPI. */
public final class TestHandlers implements HandlerProvider {

    @Override
    public void register(HandlerRegistrar registrar) {
        registrar.use("sleepy", ctx -> {
            Number ms = (Number) ctx.payload(Map.class).getOrDefault("ms", 10);
            Thread.sleep(ms.longValue()); // simulated work
            return TaskOutcome.result(Map.of("worker", ctx.workerId()));
        });
    }
}
