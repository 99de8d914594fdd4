package io.exactlyonce.tools;

/**
 * Bad input to a command: a path that is not a savepoint, a savepoint of another job, a table that
 * does not exist or lacks a column, an output that already exists. The message names the option
 * and the fix; {@link StateTools} prints it alone (no stack trace) and exits with {@link
 * StateTools#BAD_INPUT}. Thrown before anything is written.
 */
public final class ToolInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ToolInputException(String message) {
        super(message);
    }

    public ToolInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
