package io.exactlyonce.delta.sink.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The committer's transaction: the files staged for one Flink checkpoint, and everything needed to
 * append them to the Delta log as one Kernel transaction {@code txn(appId, version = checkpointId)}.
 *
 * <p>A transaction is open while the committer receives files; it is sealed at the checkpoint
 * barrier with the checkpoint id ({@link #seal(long)}), after which its file list never changes and
 * it can be committed, re-committed after a restore (idempotently) or aborted. An open transaction
 * has {@link #UNSEALED} as checkpoint id: it was never part of a checkpoint, so its files are never
 * committed by a restore.
 */
public final class DeltaTransaction {

    /** Checkpoint id of a transaction that was not sealed by a checkpoint. */
    public static final long UNSEALED = -1L;

    private final String appId;
    private long checkpointId;
    private final List<StagedFile> files;
    private SourceProgress progress;

    /** A new open transaction for the given application id. */
    public DeltaTransaction(String appId) {
        this(appId, UNSEALED, new ArrayList<>());
    }

    /** A transaction as restored from state. */
    public DeltaTransaction(String appId, long checkpointId, List<StagedFile> files) {
        this(appId, checkpointId, files, SourceProgress.empty());
    }

    /** A transaction as restored from state, with the source position it was sealed at. */
    public DeltaTransaction(
            String appId, long checkpointId, List<StagedFile> files, SourceProgress progress) {
        this.appId = Objects.requireNonNull(appId, "appId");
        this.checkpointId = checkpointId;
        this.files = new ArrayList<>(files);
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public String appId() {
        return appId;
    }

    public long checkpointId() {
        return checkpointId;
    }

    public boolean isSealed() {
        return checkpointId != UNSEALED;
    }

    /** The staged files, in arrival order. */
    public List<StagedFile> files() {
        return Collections.unmodifiableList(files);
    }

    public void add(StagedFile file) {
        if (isSealed()) {
            throw new IllegalStateException(
                    "Transaction of checkpoint " + checkpointId + " is sealed; cannot add " + file);
        }
        files.add(file);
    }

    /**
     * The source position the transaction was sealed at, committed with its files (empty when the
     * sink is not given a progress stream).
     */
    public SourceProgress progress() {
        return progress;
    }

    /** Seals the transaction at the barrier of the given checkpoint. */
    public void seal(long checkpointId) {
        seal(checkpointId, progress);
    }

    /** Seals the transaction at the barrier of the given checkpoint, at this source position. */
    public void seal(long checkpointId, SourceProgress progress) {
        if (checkpointId < 0) {
            throw new IllegalArgumentException("checkpoint id must be >= 0: " + checkpointId);
        }
        if (isSealed()) {
            throw new IllegalStateException(
                    "Transaction already sealed by checkpoint " + this.checkpointId);
        }
        this.checkpointId = checkpointId;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public long numRecords() {
        long sum = 0;
        for (StagedFile f : files) {
            sum += f.numRecords();
        }
        return sum;
    }

    public long sizeBytes() {
        long sum = 0;
        for (StagedFile f : files) {
            sum += f.sizeBytes();
        }
        return sum;
    }

    /** A deep copy (the file objects are immutable and shared). */
    public DeltaTransaction copy() {
        return new DeltaTransaction(appId, checkpointId, files, progress);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeltaTransaction)) {
            return false;
        }
        DeltaTransaction that = (DeltaTransaction) o;
        return checkpointId == that.checkpointId
                && appId.equals(that.appId)
                && files.equals(that.files)
                && progress.equals(that.progress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(appId, checkpointId, files);
    }

    @Override
    public String toString() {
        return "DeltaTransaction{appId=" + appId + ", checkpoint="
                + (isSealed() ? checkpointId : "open") + ", files=" + files.size()
                + ", rows=" + numRecords()
                + (progress.isEmpty() ? "" : ", progress=" + progress.positions().size() + " splits") + '}';
    }
}
