package io.exactlyonce.delta.sink.core;

/**
 * Thrown when the committer is restored from a checkpoint or savepoint that is older than what the
 * Delta table already holds for the restored application id. Continuing would re-process input
 * whose output is already in the table, under checkpoint ids the table considers done: rows would be
 * silently lost or duplicated. The message explains the option that accepts the risk.
 */
public class TableRewindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TableRewindException(String message) {
        super(message);
    }
}
