package io.fibflow.api;

/**
 * The code that executes one kind of task, registered in a worker under a name.
 *
 * <pre>{@code
 * worker.use("process_chunk", ctx -> {
 *     Chunk chunk = ctx.payload(Chunk.class);
 *     ctx.progress(50, "half way");
 *     return TaskOutcome.result(Map.of("rows", chunk.rows().size()));
 * });
 * }</pre>
 *
 * <p>Any exception is a failed attempt, retried under the task's retry policy; throw a
 * {@link TaskFailure} to say it must not be retried or when to retry. The handler runs on a
 * worker pool thread; it is interrupted when its deadline passes or the task is cancelled.
 */
@FunctionalInterface
public interface TaskHandler {

    TaskOutcome handle(TaskContext context) throws Exception;
}
