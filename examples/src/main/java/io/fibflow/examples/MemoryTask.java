package io.fibflow.examples;

import io.fibflow.api.TaskContext;
import io.fibflow.api.TaskFailure;
import io.fibflow.api.TaskHandler;
import io.fibflow.api.TaskOutcome;
import java.util.Map;

/**
 * {@code memory_task} (capability {@code high-memory}): needs {@code {"required_mb": n}} of
 * heap; fails non-retryably with {@code INSUFFICIENT_MEMORY} on a worker that cannot give it,
 * otherwise allocates and touches that much memory and reports what it used.
 */
public final class MemoryTask implements TaskHandler {

    /** The payload. */
    public record Input(int required_mb) {
    }

    @Override
    public TaskOutcome handle(TaskContext ctx) {
        int mb = ctx.payload(Input.class).required_mb();
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if ((long) mb << 20 > available) {
            throw TaskFailure.nonRetryable("INSUFFICIENT_MEMORY", "memory_task needs " + mb + " MiB but worker "
                    + ctx.workerId() + " has " + (available >> 20) + " MiB of heap available");
        }
        byte[][] blocks = new byte[mb][];
        long checksum = 0;
        for (int i = 0; i < mb; i++) {
            blocks[i] = new byte[1 << 20];
            blocks[i][i % (1 << 20)] = (byte) i;
            checksum += blocks[i][i % (1 << 20)];
        }
        return TaskOutcome.result(Map.of("allocated_mb", mb, "checksum", checksum,
                "available_mb", available >> 20));
    }
}
