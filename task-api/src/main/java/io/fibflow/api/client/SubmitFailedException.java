package io.fibflow.api.client;

import io.fibflow.api.FibflowException;
import org.apache.kafka.common.errors.RetriableException;

/** Kafka did not take a submission; nothing of it is visible. Retry when {@link #isTransient()}. */
public class SubmitFailedException extends FibflowException {

    private static final long serialVersionUID = 1L;

    public SubmitFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof RetriableException || (t instanceof FibflowException f && f.isTransient())) {
                return true;
            }
        }
        return false;
    }
}
