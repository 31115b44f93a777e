package io.fibflow.embedded.junit;

import io.fibflow.embedded.KafkaEndpoints;
import io.fibflow.embedded.SharedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link KafkaEndpoints} parameter backed by one broker and Schema Registry
 * shared by every test class in the JVM (see {@link SharedKafka} for the environment
 * variables that point it at an external cluster instead).
 *
 * <pre>{@code
 * @ExtendWith(FibflowKafkaExtension.class)
 * class WorkerIT {
 *     @Test
 *     void shouldRunTask(KafkaEndpoints kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>The stack starts on the first parameter resolved and closes when the JUnit engine
 * closes its root context store, at the end of the run.
 */
public final class FibflowKafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(FibflowKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(Lease.class, key -> new Lease(SharedKafka.endpoints()), Lease.class)
            .endpoints();
    }

    /** Held in the root store so that JUnit closes the shared stack when the run ends. */
    private record Lease(KafkaEndpoints endpoints) implements AutoCloseable {
        @Override
        public void close() {
            SharedKafka.close();
        }
    }
}
