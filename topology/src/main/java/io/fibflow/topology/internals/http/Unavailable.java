package io.fibflow.topology.internals.http;

/** The answer cannot be given now (store not queryable, owner unreachable): 503 with the reason. */
final class Unavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
        super(message);
    }
}
