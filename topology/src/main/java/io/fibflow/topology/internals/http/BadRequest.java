package io.fibflow.topology.internals.http;

/** Input the API cannot take: answered 400 with the field and what to fix. */
final class BadRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final String field;

    BadRequest(String field, String message) {
        super(message);
        this.field = field;
    }
}
