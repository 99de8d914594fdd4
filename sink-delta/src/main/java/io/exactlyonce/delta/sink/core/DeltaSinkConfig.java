package io.exactlyonce.delta.sink.core;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated, serializable settings of one Delta sink, shipped with the job graph to the writer
 * and committer tasks. Built by {@code DeltaSink.Builder}, which checks every value and names the
 * option in its error messages.
 */
public final class DeltaSinkConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String tablePath;
    private final List<String> partitionColumns;
    private final Map<String, String> hadoopConf;
    private final Map<String, String> tableProperties;
    private final int batchRows;
    private final int maxOpenPartitions;
    private final CommitRetryPolicy retryPolicy;
    private final boolean allowRewind;
    private final boolean deleteAbortedFiles;
    private final CommitListener commitListener;
    private final boolean recoverOnRestore;
    private long batchBytes = DEFAULT_BATCH_BYTES;
    private Set<Long> skipCheckpointsOnRestore = Set.of();
    private String progressId;

    /** Default cap of the bytes buffered in one writer batch (strings and binaries counted). */
    public static final long DEFAULT_BATCH_BYTES = 8L << 20;

    public DeltaSinkConfig(
            String tablePath,
            List<String> partitionColumns,
            Map<String, String> hadoopConf,
            Map<String, String> tableProperties,
            int batchRows,
            int maxOpenPartitions,
            CommitRetryPolicy retryPolicy,
            boolean allowRewind,
            boolean deleteAbortedFiles) {
        this(tablePath, partitionColumns, hadoopConf, tableProperties, batchRows, maxOpenPartitions,
                retryPolicy, allowRewind, deleteAbortedFiles, new CommitListener() {}, true);
    }

    public DeltaSinkConfig(
            String tablePath,
            List<String> partitionColumns,
            Map<String, String> hadoopConf,
            Map<String, String> tableProperties,
            int batchRows,
            int maxOpenPartitions,
            CommitRetryPolicy retryPolicy,
            boolean allowRewind,
            boolean deleteAbortedFiles,
            CommitListener commitListener,
            boolean recoverOnRestore) {
        this.tablePath = tablePath;
        this.partitionColumns = List.copyOf(partitionColumns);
        this.hadoopConf = Map.copyOf(hadoopConf);
        this.tableProperties = Map.copyOf(tableProperties);
        this.batchRows = batchRows;
        this.maxOpenPartitions = maxOpenPartitions;
        this.retryPolicy = retryPolicy;
        this.allowRewind = allowRewind;
        this.deleteAbortedFiles = deleteAbortedFiles;
        this.commitListener = commitListener;
        this.recoverOnRestore = recoverOnRestore;
    }

    /** A copy with another batch byte cap. */
    public DeltaSinkConfig withBatchBytes(long bytes) {
        DeltaSinkConfig copy = copy();
        copy.batchBytes = bytes;
        return copy;
    }

    /** A copy that skips (and quarantines) these recovered checkpoints on restore. */
    public DeltaSinkConfig withSkipCheckpointsOnRestore(Set<Long> checkpointIds) {
        DeltaSinkConfig copy = copy();
        copy.skipCheckpointsOnRestore = Set.copyOf(checkpointIds);
        return copy;
    }

    /** A copy that records source progress in the table under this id. */
    public DeltaSinkConfig withProgressId(String id) {
        DeltaSinkConfig copy = copy();
        copy.progressId = id;
        return copy;
    }

    /**
     * The id under which the sink records source progress in its table ({@link TableProgress}), or
     * null when the sink has no progress stream.
     */
    public String progressId() {
        return progressId;
    }

    private DeltaSinkConfig copy() {
        DeltaSinkConfig copy =
                new DeltaSinkConfig(tablePath, partitionColumns, hadoopConf, tableProperties, batchRows,
                        maxOpenPartitions, retryPolicy, allowRewind, deleteAbortedFiles, commitListener,
                        recoverOnRestore);
        copy.batchBytes = batchBytes;
        copy.skipCheckpointsOnRestore = skipCheckpointsOnRestore;
        copy.progressId = progressId;
        return copy;
    }

    /** A writer batch is handed to the Parquet thread once it holds about this many bytes. */
    public long batchBytes() {
        return batchBytes;
    }

    /**
     * Checkpoint ids whose recovered transactions, if their commit fails on restore, are skipped:
     * logged and recorded by {@link QuarantineLog}. The way out of a checkpoint that can never
     * commit.
     */
    public Set<Long> skipCheckpointsOnRestore() {
        return skipCheckpointsOnRestore;
    }

    public CommitListener commitListener() {
        return commitListener;
    }

    /**
     * True in every real use. False only in tests that prove the exactly-once checks detect a
     * broken sink: a restore then drops the pre-committed transactions instead of committing them.
     */
    public boolean recoverOnRestore() {
        return recoverOnRestore;
    }

    public String tablePath() {
        return tablePath;
    }

    public List<String> partitionColumns() {
        return partitionColumns;
    }

    /** Hadoop/Kernel engine settings, including the Parquet target file size. */
    public Map<String, String> hadoopConf() {
        return hadoopConf;
    }

    /** Delta table properties used when the sink creates the table. */
    public Map<String, String> tableProperties() {
        return tableProperties;
    }

    public int batchRows() {
        return batchRows;
    }

    public int maxOpenPartitions() {
        return maxOpenPartitions;
    }

    public CommitRetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public boolean allowRewind() {
        return allowRewind;
    }

    /**
     * Whether aborted (never checkpointed) files are deleted. False with unaligned checkpoints,
     * where a file description in flight may belong to a checkpoint and be restored later.
     */
    public boolean deleteAbortedFiles() {
        return deleteAbortedFiles;
    }
}
