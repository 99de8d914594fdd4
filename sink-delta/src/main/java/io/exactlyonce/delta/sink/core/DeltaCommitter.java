package io.exactlyonce.delta.sink.core;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private final Engine engine;
    private final String tablePath;
    private final StructType schema;
    private final StructType dataSchema;
    private final List<String> partitionColumns;
    private final CommitRetryPolicy retryPolicy;

    public DeltaCommitter(
            Engine engine,
            String tablePath,
            StructType schema,
            List<String> partitionColumns,
            CommitRetryPolicy retryPolicy) {
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
     * Re-commits a recovered transaction by file rather than by txn version: the files of the
     * transaction that are not live in the table are appended (without a txn action), the rest are
     * skipped. Used when the restore may have gone back behind the table (option {@value
     * #ALLOW_REWIND_OPTION}), where the table's txn version for the app id says nothing about which
     * of the transaction's files it still holds, for example after the table itself was restored to
     * an earlier version.
     */
    public CommitResult commitMissingFiles(DeltaTransaction txn) {
        return commitWithRetries(txn, true);
    }

    private CommitResult commitWithRetries(DeltaTransaction txn, boolean byFile) {
        if (!txn.isSealed()) {
            throw new IllegalStateException("Only sealed transactions can be committed: " + txn);
        }
        long start = System.nanoTime();
        if (txn.files().isEmpty()) {
            LOG.debug("Checkpoint {} staged no files for {}; nothing to commit", txn.checkpointId(), tablePath);
            return new CommitResult(CommitResult.Status.EMPTY, txn.checkpointId(), -1, 0, 0, 0, 0, 0);
        }
        RuntimeException lastFailure = null;
        for (int attempt = 1; attempt <= retryPolicy.maxAttempts(); attempt++) {
            try {
                return byFile ? commitMissingOnce(txn, start, attempt) : commitOnce(txn, start, attempt);
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
                        + atRisk,
                lastFailure);
    }

    private CommitResult commitOnce(DeltaTransaction txn, long startNanos, int attempt) {
        Snapshot snapshot = TableManager.loadSnapshot(tablePath).build(engine);
        Optional<Long> done = snapshot.getLatestTransactionVersion(engine, txn.appId());
        if (done.isPresent() && done.get() >= txn.checkpointId()) {
            return alreadyCommitted(txn, done.get(), startNanos, attempt);
        }
        Transaction kernelTxn;
        try {
            kernelTxn =
                    snapshot.buildUpdateTableTransaction(
                                    KernelEngines.ENGINE_INFO, Operation.STREAMING_UPDATE)
                            .withTransactionId(txn.appId(), txn.checkpointId())
                            .build(engine);
        } catch (ConcurrentTransactionException e) {
            return alreadyCommittedAfterConflict(txn, e, startNanos, attempt);
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

    private CommitResult commitMissingOnce(DeltaTransaction txn, long startNanos, int attempt) {
        Snapshot snapshot = TableManager.loadSnapshot(tablePath).build(engine);
        Set<String> live = liveFileNames(snapshot);
        List<StagedFile> missing =
                txn.files().stream()
                        .filter(f -> !live.contains(fileName(f.path())))
                        .collect(Collectors.toList());
        if (missing.isEmpty()) {
            return alreadyCommitted(txn, snapshot.getVersion(), startNanos, attempt);
        }
        Transaction kernelTxn =
                snapshot.buildUpdateTableTransaction(KernelEngines.ENGINE_INFO, Operation.STREAMING_UPDATE)
                        .build(engine);
        List<Row> actions = appendActions(kernelTxn, missing);
        TransactionCommitResult result =
                kernelTxn.commit(
                        engine, CloseableIterable.inMemoryIterable(CloseableIterators.of(actions.iterator())));
        long rows = missing.stream().mapToLong(StagedFile::numRecords).sum();
        long bytes = missing.stream().mapToLong(StagedFile::sizeBytes).sum();
        long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
        LOG.warn(
                "Re-committed {} of {} files ({} rows) of recovered checkpoint {} (appId {}) as version {}"
                        + " of {}: they were not live in the table",
                missing.size(),
                txn.files().size(),
                rows,
                txn.checkpointId(),
                txn.appId(),
                result.getVersion(),
                tablePath);
        runPostCommitHooks(result);
        return new CommitResult(
                CommitResult.Status.COMMITTED,
                txn.checkpointId(),
                result.getVersion(),
                missing.size(),
                rows,
                bytes,
                durationMs,
                attempt);
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
        Optional<DataFileStatistics> stats =
                file.statsJson() == null
                        ? Optional.empty()
                        : DataFileStatistics.deserializeFromJson(file.statsJson(), dataSchema);
        return new DataFileStatus(file.path(), file.sizeBytes(), file.modificationTime(), stats);
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
     * Decides which application context a restored committer continues with, after its recovered
     * transactions (the newest of them sealed by {@code restoredCheckpointId}) were re-committed.
     *
     * <p>If the table holds a higher checkpoint id for the restored app id than the restored one, the
     * job was restored from an older checkpoint or savepoint than the table's state (a rewind). That
     * fails with {@link TableRewindException}, unless {@code allowRewind} is set: then the committer
     * continues under a new app id, so everything re-read from the source is committed again (rows
     * already in the table from the rewound range appear twice unless they were removed first).
     */
    public DeltaCommitterContext resolveRestoredContext(
            DeltaCommitterContext restored, long restoredCheckpointId, boolean allowRewind) {
        Optional<Long> tableCheckpoint = latestCommittedCheckpoint(restored.appId());
        if (tableCheckpoint.isEmpty() || tableCheckpoint.get() <= restoredCheckpointId) {
            LOG.info(
                    "Restored Delta committer appId {} at checkpoint {}; {} holds checkpoint {} for it",
                    restored.appId(),
                    restoredCheckpointId,
                    tablePath,
                    tableCheckpoint.map(String::valueOf).orElse("none"));
            return restored;
        }
        String explanation =
                "The job was restored from checkpoint/savepoint "
                        + restoredCheckpointId
                        + ", but the Delta table "
                        + tablePath
                        + " already holds commits of this sink (appId "
                        + restored.appId()
                        + ") up to checkpoint "
                        + tableCheckpoint.get()
                        + ": the restored state is older than the table. Continuing would re-read"
                        + " input whose rows are already in the table while the sink treats the"
                        + " re-used checkpoint ids up to "
                        + tableCheckpoint.get()
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
        DeltaCommitterContext fresh = DeltaCommitterContext.mint();
        LOG.warn(
                "{} '{}' is set: continuing under new appId {}. Rows of checkpoints {} to {} that are"
                        + " still in the table will be written again.",
                explanation,
                ALLOW_REWIND_OPTION,
                fresh.appId(),
                restoredCheckpointId + 1,
                tableCheckpoint.get());
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
