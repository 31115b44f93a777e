package io.fibflow.api.serde;

import io.fibflow.api.FibflowException;
import io.fibflow.api.registry.RegistryUnavailableException;
import io.fibflow.api.registry.SchemaNotFoundException;

/**
 * Bytes that can never be decoded into the expected record, whatever is retried: the consumer should
 * dead-letter them (DESIGN §5), not pause.
 *
 * <p>{@link #isPermanent(Throwable)} is the one place a worker asks "dead-letter or pause and
 * retry?" of any failure a deserializer raised, including the registry's {@link SchemaNotFoundException}
 * (a schema id the registry does not know) which cannot extend this class.
 */
public abstract class UndecodableRecordException extends FibflowException {

    protected UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether a deserialization failure (or any exception wrapping one, such as Kafka's
     * {@code RecordDeserializationException}) is permanent: undecodable bytes or an unknown schema
     * id mean dead-letter; a registry that is down means pause and retry.
     *
     * @return {@code true} for dead-letter, {@code false} for pause-and-retry or unknown causes
     */
    public static boolean isPermanent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UndecodableRecordException || t instanceof SchemaNotFoundException) {
                return true;
            }
            if (t instanceof RegistryUnavailableException) {
                return false;
            }
        }
        return false;
    }
}
