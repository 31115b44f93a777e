package io.fibflow.api.serde;

import io.fibflow.api.FibflowException;

/**
 * A record could not be written with its schema (a required field is null, or it cannot be
 * converted to the subject's latest schema): fix the record; retrying will not help.
 */
public class UnencodableRecordException extends FibflowException {

    public UnencodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
