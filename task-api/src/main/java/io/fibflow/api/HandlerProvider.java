package io.fibflow.api;

/**
 * A {@link java.util.ServiceLoader} service: a team's handler JAR lists its implementation in
 * {@code META-INF/services/io.fibflow.api.HandlerProvider}, and any fibflow worker started with
 * that JAR on its classpath registers its handlers. A handler JAR plus fibflow is a worker JAR.
 *
 * <pre>{@code
 * public final class DatasetHandlers implements HandlerProvider {
 *     public void register(HandlerRegistrar worker) {
 *         worker.use("process_chunk", new ProcessChunk());
 *     }
 * }
 * }</pre>
 */
public interface HandlerProvider {

    void register(HandlerRegistrar registrar);
}
