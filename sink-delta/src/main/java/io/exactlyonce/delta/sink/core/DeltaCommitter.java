package io.exactlyonce.delta.sink.core;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.transaction.UpdateTableTransactionBuilder;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Appends sealed {@link DeltaTransaction}s to the Delta log, exactly once. Plain Java: the Flink
 * committer only calls it.
 *
 * <p>One transaction becomes one Delta commit carrying {@code txn(appId, version = checkpointId)}
 * and the {@code add} actions of all its files, so readers see whole checkpoints only. Failure
 * cases it handles:
 *
 * <ul>
 *   <li><b>Commit landed but the job failed before it knew</b> (crash after commit, before the
 *       checkpoint notification returned; or the same checkpoint restored twice): before
 *       committing, the table's latest txn version for the app id is read; if it is at least the
 *       checkpoint id, the commit is skipped and logged at INFO. Kernel's {@link
 *       ConcurrentTransactionException} means the same and is handled the same way, after
 *       re-checking the table.
 *   <li><b>Transient I/O failures</b> are retried with backoff per {@link CommitRetryPolicy}; each
 *       retry re-checks the txn version first, so a commit whose outcome was unknown is never
 *       applied twice.
 *   <li><b>Everything else</b> (retries exhausted, schema or protocol changed underneath, table
 *       removed) throws {@link DeltaCommitFailedException}, naming the checkpoint and the files at
 *       risk. It is never swallowed: the job fails and the restore commits again.
 *   <li><b>Concurrent writers</b> appending to the same table are resolved by Kernel's blind-append
 *       conflict resolution.
 *   <li><b>Restores from an older savepoint than the table holds</b> are refused by {@link
 *       #resolveRestoredContext}, see {@link TableRewindException}.
 * </ul>
 *
 * <p>After a successful commit, Kernel's post-commit hooks run (Delta log checkpoints, checksums,
 * log compaction). A failed hook does not undo the commit and is logged at WARN.
 */
public final class DeltaCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaCommitter.class);

    /** The name of the option that accepts restoring an older checkpoint than the table holds. */
    public static final String ALLOW_REWIND_OPTION = "allowRewind";

    /** The name of the option that skips (and quarantines) named checkpoints on restore. */
    public static final String SKIP_CHECKPOINTS_OPTION = "skipCheckpointsOnRestore";

    private final Engine engine;
    private final String tablePath;
    private final StructType schema;
    private final StructType dataSchema;
    private final List<String> partitionColumns;
    private final CommitRetryPolicy retryPolicy;
    private final String progressId;
    private final AtomicBoolean statisticsFailureLogged = new AtomicBoolean();

    public DeltaCommitter(
            Engine engine,
            String tablePath,
            StructType schema,
            List<String> partitionColumns,
            CommitRetryPolicy retryPolicy) {
        this(engine, tablePath, schema, partitionColumns, retryPolicy, null);
    }

    /**
     * A committer that also records each transaction's {@link SourceProgress} in the table, under
     * {@link TableProgress#domain(String) progressId}'s domain, in the same commit as its files.
     */
    public DeltaCommitter(
            Engine engine,
            String tablePath,
            StructType schema,
            List<String> partitionColumns,
            CommitRetryPolicy retryPolicy,
            String progressId) {
        this.progressId = progressId;
        this.engine = engine;
        this.tablePath = tablePath;
        this.schema = schema;
        this.partitionColumns = List.copyOf(partitionColumns);
        this.dataSchema = dataSchemaOf(schema, partitionColumns);
        this.retryPolicy = retryPolicy;
    }

    /** The table schema without its partition columns: the columns stored in the data files. */
    public static StructType dataSchemaOf(StructType schema, List<String> partitionColumns) {
        return new StructType(
                schema.fields().stream()
                        .filter(f -> !partitionColumns.contains(f.getName()))
                        .collect(Collectors.toList()));
    }

    public String tablePath() {
        return tablePath;
    }

    /** The highest checkpoint id the table holds for the app id, if any. */
    public Optional<Long> latestCommittedCheckpoint(String appId) {
        Snapshot snapshot = TableManager.loadSnapshot(tablePath).build(engine);
        return snapshot.getLatestTransactionVersion(engine, appId);
    }

    /**
     * Commits a sealed transaction, idempotently. Returns what happened; throws {@link
     * DeltaCommitFailedException} if the files could not be committed.
     */
    public CommitResult commit(DeltaTransaction txn) {
        return commitWithRetries(txn, false);
    }

    /**
     * Commits a transaction recovered from a checkpoint, idempotently, after checking that each of
     * its files still exists with its recorded size: no {@code add} action ever points at a missing
     * file. A missing or changed file throws {@link UnrecoverableTransactionException}.
     */
    public CommitResult commitRecovered(DeltaTransaction txn) {
        return commitWithRetries(txn, true);
    }

    /**
     * For a transaction recovered after a detected rewind (option {@value #ALLOW_REWIND_OPTION}):
     * the table's txn version says its checkpoint was committed, so it is done if all its files are
     * still live in the table. If the table has removed any of them since (OPTIMIZE, VACUUM,
     * RESTORE, DELETE), re-adding them could duplicate rows that now live in other files, and
     * leaving them out could lose rows: that is refused with {@link
     * UnrecoverableTransactionException}, for an operator to decide.
     */
    public CommitResult verifyRecoveredFilesLive(DeltaTransaction txn) {
        long start = System.nanoTime();
        if (txn.files().isEmpty()) {
            return new CommitResult(CommitResult.Status.EMPTY, txn.checkpointId(), -1, 0, 0, 0, 0, 0);
        }
        Snapshot snapshot = TableManager.loadSnapshot(tablePath).build(engine);
        Set<String> live = liveFileNames(snapshot);
        List<StagedFile> gone =
                txn.files().stream()
                        .filter(f -> !live.contains(fileName(f.path())))
                        .collect(Collectors.toList());
        if (gone.isEmpty()) {
            return alreadyCommitted(
                    txn,
                    snapshot.getLatestTransactionVersion(engine, txn.appId()).orElse(-1L),
                    start,
                    1);
        }
        String message =
                "Recovered checkpoint "
                        + txn.checkpointId()
                        + " (appId "
                        + txn.appId()
                        + ") is recorded as committed in "
                        + tablePath
                        + ", but "
                        + gone.size()
                        + " of its "
                        + txn.files().size()
                        + " files are no longer live in the table: "
                        + paths(gone)
                        + ". The table removed them after committing them (OPTIMIZE, VACUUM, RESTORE"
                        + " or DELETE). Re-adding them could duplicate rows that now live in other"
                        + " files, so the sink does not guess. "
                        + skipAdvice(txn.checkpointId());
        LOG.error(message);
        throw new UnrecoverableTransactionException(txn.checkpointId(), message);
    }

    private CommitResult commitWithRetries(DeltaTransaction txn, boolean verifyFiles) {
        if (!txn.isSealed()) {
            throw new IllegalStateException("Only sealed transactions can be committed: " + txn);
        }
        long start = System.nanoTime();
        if (txn.files().isEmpty() && (progressId == null || txn.progress().isEmpty())) {
            LOG.debug("Checkpoint {} staged no files for {}; nothing to commit", txn.checkpointId(), tablePath);
            return empty(txn);
        }
        RuntimeException lastFailure = null;
        for (int attempt = 1; attempt <= retryPolicy.maxAttempts(); attempt++) {
            try {
                return commitOnce(txn, start, attempt, verifyFiles);
            } catch (UnrecoverableTransactionException e) {
                throw e;
            } catch (RuntimeException e) {
                lastFailure = e;
                if (!CommitRetryPolicy.isTransient(e) || attempt == retryPolicy.maxAttempts()) {
                    break;
                }
                long backoff = retryPolicy.backoffMs(attempt);
                LOG.warn(
                        "Delta commit of checkpoint {} (appId {}) to {} failed on attempt {}/{};"
                                + " retrying in {} ms",
                        txn.checkpointId(),
                        txn.appId(),
                        tablePath,
                        attempt,
                        retryPolicy.maxAttempts(),
                        backoff,
                        e);
                sleep(backoff);
            }
        }
        String atRisk = txn.files().stream().map(StagedFile::path).collect(Collectors.joining(", "));
        if (retryPolicy.retriedByCaller() && CommitRetryPolicy.isTransient(lastFailure)) {
            LOG.warn(
                    "Delta commit of checkpoint {} (appId {}) to {} failed transiently; the"
                            + " committer retries it",
                    txn.checkpointId(),
                    txn.appId(),
                    tablePath,
                    lastFailure);
            throw new TransientCommitException(
                    "Transient failure committing checkpoint " + txn.checkpointId() + " to " + tablePath,
                    lastFailure);
        }
        LOG.error(
                "Delta commit of checkpoint {} (appId {}) to {} FAILED; {} files with {} rows are not"
                        + " in the table and data has potentially been lost unless the job restores"
                        + " and re-commits them. Files at risk: {}",
                txn.checkpointId(),
                txn.appId(),
                tablePath,
                txn.files().size(),
                txn.numRecords(),
                atRisk,
                lastFailure);
        throw new DeltaCommitFailedException(
                "Could not commit checkpoint "
                        + txn.checkpointId()
                        + " (appId "
                        + txn.appId()
                        + ", "
                        + txn.files().size()
                        + " files, "
                        + txn.numRecords()
                        + " rows) to Delta table "
                        + tablePath
                        + ". Files at risk: "
                        + atRisk
                        + ". The job restores and commits it again. "
                        + skipAdvice(txn.checkpointId()),
                lastFailure);
    }

    private CommitResult commitOnce(
            DeltaTransaction txn, long startNanos, int attempt, boolean verifyFiles) {
        Snapshot snapshot = TableManager.loadSnapshot(tablePath).build(engine);
        Optional<Long> done = snapshot.getLatestTransactionVersion(engine, txn.appId());
        if (done.isPresent() && done.get() >= txn.checkpointId()) {
            return alreadyCommitted(txn, done.get(), startNanos, attempt);
        }
        boolean recordProgress = progressId != null && !txn.progress().isEmpty();
        Optional<SourceProgress> recorded =
                recordProgress ? TableProgress.read(snapshot, progressId) : Optional.empty();
        if (txn.files().isEmpty() && (!recordProgress || recorded.map(txn.progress()::equals).orElse(false))) {
            return empty(txn);
        }
        if (verifyFiles) {
            verifyFilesExist(txn);
        }
        Transaction kernelTxn;
        try {
            UpdateTableTransactionBuilder builder =
                    snapshot.buildUpdateTableTransaction(
                                    KernelEngines.ENGINE_INFO, Operation.STREAMING_UPDATE)
                            .withTransactionId(txn.appId(), txn.checkpointId());
            if (recordProgress && recorded.isEmpty()) {
                // the first progress commit of this sink: make sure the table supports the feature
                builder = builder.withTablePropertiesAdded(TableProgress.FEATURE_PROPERTY);
            }
            kernelTxn = builder.build(engine);
        } catch (ConcurrentTransactionException e) {
            return alreadyCommittedAfterConflict(txn, e, startNanos, attempt);
        }
        if (recordProgress) {
            kernelTxn.addDomainMetadata(
                    TableProgress.domain(progressId), TableProgress.encode(txn.progress(), txn.checkpointId()));
        }
        List<Row> actions = appendActions(kernelTxn, txn.files());
        TransactionCommitResult result;
        try {
            result =
                    kernelTxn.commit(
                            engine,
                            CloseableIterable.inMemoryIterable(
                                    CloseableIterators.of(actions.iterator())));
        } catch (ConcurrentTransactionException e) {
            return alreadyCommittedAfterConflict(txn, e, startNanos, attempt);
        }
        long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
        LOG.info(
                "Committed checkpoint {} (appId {}) as version {} of {}: {} files, {} rows, {} bytes"
                        + " in {} ms (attempt {})",
                txn.checkpointId(),
                txn.appId(),
                result.getVersion(),
                tablePath,
                txn.files().size(),
                txn.numRecords(),
                txn.sizeBytes(),
                durationMs,
                attempt);
        runPostCommitHooks(result);
        return new CommitResult(
                CommitResult.Status.COMMITTED,
                txn.checkpointId(),
                result.getVersion(),
                txn.files().size(),
                txn.numRecords(),
                txn.sizeBytes(),
                durationMs,
                attempt);
    }

    /** Each file of the transaction exists with its recorded size, or the commit is refused. */
    private void verifyFilesExist(DeltaTransaction txn) {
        List<String> problems = new ArrayList<>();
        for (StagedFile file : txn.files()) {
            try {
                long size = engine.getFileSystemClient().getFileStatus(file.path()).getSize();
                if (size != file.sizeBytes()) {
                    problems.add(file.path() + " has " + size + " bytes, " + file.sizeBytes() + " recorded");
                }
            } catch (FileNotFoundException e) {
                problems.add(file.path() + " is missing");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot check staged file " + file.path(), e);
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        String message =
                "Recovered checkpoint "
                        + txn.checkpointId()
                        + " (appId "
                        + txn.appId()
                        + ", "
                        + txn.numRecords()
                        + " rows) cannot be committed to "
                        + tablePath
                        + ": "
                        + String.join("; ", problems)
                        + ". Likely causes: VACUUM ran with a retention shorter than the job's"
                        + " downtime (uncommitted files look like orphans to it), or the table"
                        + " directory was deleted, moved or restored. No add action is written for a"
                        + " missing file. "
                        + skipAdvice(txn.checkpointId());
        LOG.error(message);
        throw new UnrecoverableTransactionException(txn.checkpointId(), message);
    }

    private String skipAdvice(long checkpointId) {
        return "If this checkpoint can never be committed, restart from the latest checkpoint with"
                + " the sink option '"
                + SKIP_CHECKPOINTS_OPTION
                + "' including "
                + checkpointId
                + ": its files are then left out, logged and recorded under "
                + QuarantineLog.directoryOf(tablePath)
                + " for recovery by hand.";
    }

    private static String paths(List<StagedFile> files) {
        return files.stream().map(StagedFile::path).collect(Collectors.joining(", "));
    }

    /** Names (last path segment, unique per written file) of the data files live in a snapshot. */
    private Set<String> liveFileNames(Snapshot snapshot) {
        Set<String> names = new HashSet<>();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles =
                snapshot.getScanBuilder().build().getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> rows = scanFiles.next().getRows()) {
                    while (rows.hasNext()) {
                        names.add(fileName(ScanFileRows.path(ScanFileRows.add(rows.next()))));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private List<Row> appendActions(Transaction kernelTxn, List<StagedFile> files) {
        Row txnState = kernelTxn.getTransactionState(engine);
        Map<Map<String, String>, List<DataFileStatus>> byPartition = new LinkedHashMap<>();
        for (StagedFile file : files) {
            byPartition
                    .computeIfAbsent(file.partitionValues(), k -> new ArrayList<>())
                    .add(toDataFileStatus(file));
        }
        List<Row> actions = new ArrayList<>();
        for (Map.Entry<Map<String, String>, List<DataFileStatus>> group : byPartition.entrySet()) {
            Map<String, Literal> literals =
                    PartitionValues.toLiterals(schema, partitionColumns, group.getKey());
            DataWriteContext context = Transaction.getWriteContext(engine, txnState, literals);
            try (CloseableIterator<Row> it =
                    Transaction.generateAppendActions(
                            engine,
                            txnState,
                            CloseableIterators.of(group.getValue().iterator()),
                            context)) {
                it.forEachRemaining(actions::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return actions;
    }

    private DataFileStatus toDataFileStatus(StagedFile file) {
        return new DataFileStatus(
                file.path(), file.sizeBytes(), file.modificationTime(), writableStatistics(file));
    }

    /**
     * The file's statistics if Kernel can write them, else its record count only: a statistic
     * never fails a commit. (The writer already dropped every inexact bound; this catches what
     * Kernel itself refuses.)
     */
    private Optional<DataFileStatistics> writableStatistics(StagedFile file) {
        Optional<DataFileStatistics> stats = file.statistics();
        if (stats.isEmpty()) {
            return stats;
        }
        try {
            stats.get().serializeAsJson(dataSchema);
            return stats;
        } catch (RuntimeException e) {
            if (statisticsFailureLogged.compareAndSet(false, true)) {
                LOG.warn(
                        "Kernel cannot write the column statistics of {} for {}; committing it with"
                                + " its record count only (readers will not skip it). Logged once.",
                        file.path(),
                        tablePath,
                        e);
            }
            return Optional.of(ExactStatistics.recordCountOnly(stats.get()));
        }
    }

    private static CommitResult empty(DeltaTransaction txn) {
        return new CommitResult(CommitResult.Status.EMPTY, txn.checkpointId(), -1, 0, 0, 0, 0, 0);
    }

    /** The progress this committer's sink last recorded in the table, if it records any. */
    public Optional<SourceProgress> recordedProgress() {
        if (progressId == null) {
            return Optional.empty();
        }
        return TableProgress.read(TableManager.loadSnapshot(tablePath).build(engine), progressId);
    }

    private CommitResult alreadyCommittedAfterConflict(
            DeltaTransaction txn, ConcurrentTransactionException e, long startNanos, int attempt) {
        Optional<Long> done = latestCommittedCheckpoint(txn.appId());
        if (done.isPresent() && done.get() >= txn.checkpointId()) {
            return alreadyCommitted(txn, done.get(), startNanos, attempt);
        }
        throw new IllegalStateException(
                "Kernel reported checkpoint "
                        + txn.checkpointId()
                        + " of appId "
                        + txn.appId()
                        + " as already committed, but the table holds "
                        + done.map(String::valueOf).orElse("no version")
                        + " for that appId",
                e);
    }

    private CommitResult alreadyCommitted(
            DeltaTransaction txn, long tableCheckpoint, long startNanos, int attempt) {
        LOG.info(
                "Checkpoint {} (appId {}, {} files) is already in {} (the table holds checkpoint {}"
                        + " for this appId); skipping the commit",
                txn.checkpointId(),
                txn.appId(),
                txn.files().size(),
                tablePath,
                tableCheckpoint);
        return new CommitResult(
                CommitResult.Status.ALREADY_COMMITTED,
                txn.checkpointId(),
                tableCheckpoint,
                txn.files().size(),
                txn.numRecords(),
                txn.sizeBytes(),
                (System.nanoTime() - startNanos) / 1_000_000,
                attempt);
    }

    private void runPostCommitHooks(TransactionCommitResult result) {
        for (PostCommitHook hook : result.getPostCommitHooks()) {
            try {
                hook.threadSafeInvoke(engine);
                LOG.info("Ran {} post-commit hook for version {} of {}", hook.getType(), result.getVersion(), tablePath);
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "{} post-commit hook failed for version {} of {}; the commit itself succeeded"
                                + " and no data is at risk, the next hook run catches up",
                        hook.getType(),
                        result.getVersion(),
                        tablePath,
                        e);
            }
        }
    }

    /**
     * Compares the checkpoint the job was restored from with what the table holds for the restored
     * app id. Called before any recovered transaction is committed.
     *
     * <p>If the table holds a higher checkpoint id than the restored one, the job was restored from
     * an older checkpoint or savepoint than the table's state (a rewind). That fails with {@link
     * TableRewindException}, unless {@code allowRewind} is set: then the returned check says {@link
     * RestoreCheck#rewound()}, recovered transactions are verified file by file ({@link
     * #verifyRecoveredFilesLive}) and the committer continues under a new app id ({@link
     * #contextAfterRestore}), so everything re-read from the source is committed again (rows
     * already in the table from the rewound range appear twice unless they were removed first).
     */
    public RestoreCheck checkRestore(
            DeltaCommitterContext restored, long restoredCheckpointId, boolean allowRewind) {
        RestoreCheck check =
                new RestoreCheck(restoredCheckpointId, latestCommittedCheckpoint(restored.appId()));
        if (!check.rewound()) {
            LOG.info(
                    "Restored Delta committer appId {} from checkpoint {}; {} holds checkpoint {} for it",
                    restored.appId(),
                    restoredCheckpointId,
                    tablePath,
                    check.tableCheckpointId().map(String::valueOf).orElse("none"));
            return check;
        }
        long tableCheckpoint = check.tableCheckpointId().get();
        String explanation =
                "The job was restored from checkpoint/savepoint "
                        + restoredCheckpointId
                        + ", but the Delta table "
                        + tablePath
                        + " already holds commits of this sink (appId "
                        + restored.appId()
                        + ") up to checkpoint "
                        + tableCheckpoint
                        + ": the restored state is older than the table. Continuing would re-read"
                        + " input whose rows are already in the table while the sink treats the"
                        + " re-used checkpoint ids up to "
                        + tableCheckpoint
                        + " as already committed, so rows would be silently lost or duplicated.";
        if (!allowRewind) {
            throw new TableRewindException(
                    explanation
                            + " Restore the latest checkpoint or savepoint instead. If you do mean"
                            + " to re-process from this point (for example after restoring the"
                            + " table to an earlier version), set the sink option '"
                            + ALLOW_REWIND_OPTION
                            + "' to true: the sink then continues under a new appId and commits"
                            + " everything it re-reads, so rows of the rewound range that are still"
                            + " in the table are written again.");
        }
        LOG.warn(
                "{} '{}' is set: recovered checkpoints are verified file by file and the sink continues"
                        + " under a new appId; rows of checkpoints {} to {} that are still in the table"
                        + " will be written again.",
                explanation,
                ALLOW_REWIND_OPTION,
                restoredCheckpointId + 1,
                tableCheckpoint);
        return check;
    }

    /** The context to continue with after a restore: the restored one, or a new appId after a rewind. */
    public DeltaCommitterContext contextAfterRestore(DeltaCommitterContext restored, RestoreCheck check) {
        if (!check.rewound()) {
            return restored;
        }
        DeltaCommitterContext fresh = DeltaCommitterContext.mint();
        LOG.warn(
                "Continuing under new appId {} after restoring checkpoint {} behind the table (appId {}"
                        + " holds checkpoint {})",
                fresh.appId(),
                check.restoredCheckpointId(),
                restored.appId(),
                check.tableCheckpointId().orElse(-1L));
        return fresh;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeltaCommitFailedException("Interrupted while backing off a Delta commit", e);
        }
    }
}
