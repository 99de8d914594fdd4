package io.exactlyonce.delta.sink.core;

/**
 * Thrown when a checkpoint's files could not be appended to the Delta log after all retries. The
 * job must fail (and restore, which re-attempts the commit): the message names the checkpoint, the
 * application id and the files that are at risk.
 */
public class DeltaCommitFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DeltaCommitFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
