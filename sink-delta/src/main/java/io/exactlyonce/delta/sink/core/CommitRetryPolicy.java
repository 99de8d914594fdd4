package io.exactlyonce.delta.sink.core;

import io.delta.kernel.exceptions.CommitStateUnknownException;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.exceptions.MetadataChangedException;
import io.delta.kernel.exceptions.ProtocolChangedException;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * How often and how patiently the committer retries a Delta commit that failed for a transient
 * reason (I/O errors from the file system, a commit whose outcome is unknown, Kernel's own conflict
 * retries exhausted by a busy table).
 *
 * <p>Retries are safe because every attempt first re-reads the table's txn version for the
 * application id: an attempt that actually landed is recognised and not repeated. Failures that
 * cannot heal by waiting (schema or protocol changed by someone else, table deleted, invalid state)
 * are not retried.
 */
public final class CommitRetryPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long maxBackoffMs;

    public CommitRetryPolicy(int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs) {
            throw new IllegalArgumentException(
                    "need 0 <= initialBackoffMs <= maxBackoffMs, was "
                            + initialBackoffMs + ", " + maxBackoffMs);
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    /** 8 attempts, 200 ms doubling to at most 10 s: about half a minute of patience. */
    public static CommitRetryPolicy defaults() {
        return new CommitRetryPolicy(8, 200, 10_000);
    }

    /**
     * One attempt: a transient failure is thrown at once as a {@link TransientCommitException} for
     * the caller to retry, as Flink's Sink V2
     * committer framework does with {@code retryLater}.
     */
    public static CommitRetryPolicy callerRetries() {
        return new CommitRetryPolicy(1, 0, 0);
    }

    /** Whether the caller retries transient failures (a single attempt per call). */
    public boolean retriedByCaller() {
        return maxAttempts == 1;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Backoff before the given retry (1 = the first retry). */
    public long backoffMs(int retry) {
        long backoff = initialBackoffMs;
        for (int i = 1; i < retry && backoff < maxBackoffMs; i++) {
            backoff *= 2;
        }
        return Math.min(backoff, maxBackoffMs);
    }

    /** Whether waiting and trying again may succeed. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException
                    || t instanceof UncheckedIOException
                    || t instanceof KernelEngineException
                    || t instanceof CommitStateUnknownException
                    || t instanceof MaxCommitRetryLimitReachedException
                    // a concurrent writer changed the protocol (e.g. enabled a feature) or won a
                    // race Kernel does not resolve itself: a retry rebuilds on the new snapshot,
                    // after re-checking the txn version
                    || t instanceof ProtocolChangedException
                    || t instanceof MetadataChangedException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "CommitRetryPolicy{maxAttempts=" + maxAttempts + ", backoff=" + initialBackoffMs
                + ".." + maxBackoffMs + " ms}";
    }
}
