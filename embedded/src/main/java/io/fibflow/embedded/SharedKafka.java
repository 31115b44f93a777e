package io.fibflow.embedded;

import io.fibflow.embedded.internals.SharedStack;

/**
 * One Kafka broker and Schema Registry per JVM, started on first use and closed when the
 * JVM exits (or by {@link #close()}).
 *
 * <p>If {@code FIBFLOW_BOOTSTRAP_SERVERS} is set, that cluster is used instead of an
 * embedded broker; if {@code FIBFLOW_SCHEMA_REGISTRY_URL} is set too, that registry is
 * used, otherwise an embedded registry runs against the given cluster.
 *
 * <pre>{@code
 * KafkaEndpoints kafka = SharedKafka.endpoints();
 * props.put("bootstrap.servers", kafka.bootstrapServers());
 * }</pre>
 */
public final class SharedKafka {
    private static SharedStack stack;
    private static boolean hookInstalled;

    private SharedKafka() {
    }

    /** The shared endpoints, starting the embedded stack if this is the first call. */
    public static synchronized KafkaEndpoints endpoints() {
        if (stack == null) {
            stack = SharedStack.start(System.getenv());
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(SharedKafka::close, "fibflow-shared-kafka-close"));
                hookInstalled = true;
            }
        }
        return stack.endpoints();
    }

    /** Closes what was started; a later {@link #endpoints()} starts afresh. */
    public static synchronized void close() {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
