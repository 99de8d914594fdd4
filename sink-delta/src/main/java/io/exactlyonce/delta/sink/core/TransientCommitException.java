package io.exactlyonce.delta.sink.core;

/**
 * A commit attempt failed for a reason that waiting may heal (see {@link
 * CommitRetryPolicy#isTransient}), thrown by a committer whose policy leaves retries to its caller
 * ({@link CommitRetryPolicy#callerRetries()}). Nothing was committed, or the next attempt
 * recognises the commit by its txn version; the caller retries rather than failing or skipping.
 */
public final class TransientCommitException extends DeltaCommitFailedException {

    private static final long serialVersionUID = 1L;

    public TransientCommitException(String message, Throwable cause) {
        super(message, cause);
    }
}
