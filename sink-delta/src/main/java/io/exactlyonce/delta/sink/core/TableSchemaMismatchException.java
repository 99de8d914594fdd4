package io.exactlyonce.delta.sink.core;

/**
 * Thrown at start when the existing Delta table's schema or partition columns differ from what the
 * sink was configured to write. Nothing has been written when it is thrown; the message shows both
 * schemas.
 */
public class TableSchemaMismatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TableSchemaMismatchException(String message) {
        super(message);
    }
}
