package io.fibflow.api;

import io.fibflow.avro.Payload;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a running handler sees of its task and can tell the worker: identity, payload, stage,
 * context, the previous stage's child results, its deadline and cancellation, and progress.
 */
public interface TaskContext {

    String taskId();

    /** The handler name. */
    String name();

    String capability();

    /** Workflow stage, 0 on the first run; a parent resumed after its children sees stage + 1. */
    int stage();

    /** Attempt within this stage, starting at 1. */
    int attempt();

    /** The run counter of this task (DESIGN §3). */
    long epoch();

    Optional<String> parentId();

    /** The workflow's root task id (this task's own id for a root). */
    String rootId();

    Optional<String> tag();

    /**
     * The payload decoded as {@code type} by its encoding's codec (JSON by default, unknown
     * properties ignored).
     *
     * @throws io.fibflow.api.codec.PayloadDecodeException (non-retryable) if it does not decode
     */
    <T> T payload(Class<T> type);

    /** The payload as it travelled. */
    Payload rawPayload();

    /** The task's own state carried from earlier stages or checkpoints. */
    Optional<byte[]> context();

    /** The outcomes of the children of the previous stage, in spawn order; empty on stage 0. */
    List<ChildOutcome> childResults();

    /** When this attempt times out; the handler thread is interrupted then. */
    Instant deadline();

    /** True once the task is cancelled or its attempt timed out; cooperative handlers stop early. */
    boolean isCancelled();

    /** Reports progress (a PROGRESS event); {@code percent} in [0, 100]. */
    void progress(double percent, String text);

    /** Saves {@code context} (a CHECKPOINT event), so a re-run after a crash sees it. */
    void checkpoint(byte[] context);

    /** The id of the worker running this attempt. */
    String workerId();
}
