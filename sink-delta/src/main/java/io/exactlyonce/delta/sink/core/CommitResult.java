package io.exactlyonce.delta.sink.core;

/**
 * What {@link DeltaCommitter#commit} did with one checkpoint's transaction: appended it as a new
 * table version, found it already committed (a restore after a commit whose notification was lost),
 * or had nothing to append.
 */
public final class CommitResult {

    /** The three outcomes of a commit call. */
    public enum Status {
        COMMITTED,
        ALREADY_COMMITTED,
        EMPTY
    }

    private final Status status;
    private final long checkpointId;
    private final long tableVersion;
    private final int files;
    private final long rows;
    private final long bytes;
    private final long durationMs;
    private final int attempts;

    CommitResult(
            Status status,
            long checkpointId,
            long tableVersion,
            int files,
            long rows,
            long bytes,
            long durationMs,
            int attempts) {
        this.status = status;
        this.checkpointId = checkpointId;
        this.tableVersion = tableVersion;
        this.files = files;
        this.rows = rows;
        this.bytes = bytes;
        this.durationMs = durationMs;
        this.attempts = attempts;
    }

    public Status status() {
        return status;
    }

    public long checkpointId() {
        return checkpointId;
    }

    /**
     * For {@link Status#COMMITTED} the new table version; for {@link Status#ALREADY_COMMITTED} the
     * highest checkpoint id the table holds for the app id; -1 otherwise.
     */
    public long tableVersion() {
        return tableVersion;
    }

    public int files() {
        return files;
    }

    public long rows() {
        return rows;
    }

    public long bytes() {
        return bytes;
    }

    public long durationMs() {
        return durationMs;
    }

    public int attempts() {
        return attempts;
    }

    @Override
    public String toString() {
        return "CommitResult{" + status + ", checkpoint=" + checkpointId + ", tableVersion="
                + tableVersion + ", files=" + files + ", rows=" + rows + ", bytes=" + bytes
                + ", " + durationMs + " ms, attempts=" + attempts + '}';
    }
}
