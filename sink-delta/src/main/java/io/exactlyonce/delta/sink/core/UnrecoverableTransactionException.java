package io.exactlyonce.delta.sink.core;

/**
 * Thrown when a recovered checkpoint's transaction can never be committed as it is: one of its
 * files is gone or has another size (VACUUM with a retention shorter than the job's downtime, the
 * table directory deleted or restored), or the table removed the files since it committed them
 * (OPTIMIZE, VACUUM, RESTORE), so re-adding them could duplicate rows.
 *
 * <p>It is never retried: the job fails with a message that names the checkpoint, the files, the
 * likely cause and the sink option ({@value DeltaCommitter#SKIP_CHECKPOINTS_OPTION}) with which an
 * operator skips the checkpoint on the next restore, recording its files for recovery by hand.
 */
public class UnrecoverableTransactionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long checkpointId;

    public UnrecoverableTransactionException(long checkpointId, String message) {
        super(message);
        this.checkpointId = checkpointId;
    }

    /** The checkpoint whose transaction cannot be committed. */
    public long checkpointId() {
        return checkpointId;
    }
}
