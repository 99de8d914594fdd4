package io.exactlyonce.delta.sink.core;

import java.io.Serializable;

/**
 * Called by the committer around every Delta commit of a checkpoint's transaction, on the
 * committer's task thread: for notifications and audit hooks, and for fault-injection tests.
 *
 * <p>A listener that throws fails the committer task exactly like a failed commit: before the
 * commit nothing was written; after it, the commit stands and the restore recognises it as already
 * committed. Listeners must be serializable (they ship with the job graph) and cheap.
 */
public interface CommitListener extends Serializable {

    /** Before the transaction is appended; {@code recovery} when it is re-committed on restore. */
    default void beforeCommit(DeltaTransaction transaction, boolean recovery) {}

    /** After the transaction was appended, or found already committed, or was empty. */
    default void afterCommit(DeltaTransaction transaction, CommitResult result, boolean recovery) {}
}
