package io.exactlyonce.job.kafka;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The job was started without restored state from the consumer group's committed offsets against
 * an orders table that already has data, which can skip records (see {@link CommittedStartGuard}).
 * Non-recoverable: a restart would start fresh the same way, so the job ends FAILED at once.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class UnsafeCommittedStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnsafeCommittedStartException(String message) {
        super(message);
    }
}
