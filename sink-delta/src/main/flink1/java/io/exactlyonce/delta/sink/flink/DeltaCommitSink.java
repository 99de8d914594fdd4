package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.AbortedFiles;
import io.exactlyonce.delta.sink.core.CommitResult;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaCommitterContext;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.RecoveryCommitter;
import io.exactlyonce.delta.sink.core.RestoreCheck;
import io.exactlyonce.delta.sink.core.SinkErrors;
import io.exactlyonce.delta.sink.core.StagedFile;

import io.delta.kernel.engine.Engine;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.functions.sink.TwoPhaseCommitSinkFunction;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.table.types.logical.RowType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * The committing half of the Delta sink: a {@link TwoPhaseCommitSinkFunction} at parallelism 1
 * whose transaction is the set of {@link StagedFile}s received for one checkpoint.
 *
 * <p>Thin Flink glue; the commit logic is {@link DeltaCommitter}. The protocol:
 *
 * <ul>
 *   <li>{@code snapshotState} (the checkpoint barrier) seals the open transaction with the
 *       checkpoint id ({@code preCommit} is not given the id, so it is captured first) and keeps it
 *       in checkpointed state with the {@link DeltaCommitterContext} (the appId).
 *   <li>{@code notifyCheckpointComplete(N)} commits every pending transaction up to N in order, one
 *       Delta commit each. If one fails, the later ones are not attempted (a later txn version would
 *       make the failed one look committed after the restore); the failure fails the task, and the
 *       restore commits them again in order.
 *   <li>On restore, the checkpoint the job was restored from is first compared with the table
 *       (rewind detection, see {@link DeltaCommitter#checkRestore}); then recovered transactions
 *       are re-committed idempotently, each file checked to exist with its recorded size first
 *       ({@link DeltaCommitter#commitRecovered}); after a rewind accepted with {@code allowRewind}
 *       they are only verified to be live ({@link DeltaCommitter#verifyRecoveredFilesLive}).
 *       A checkpoint named in {@code skipCheckpointsOnRestore} whose recovery commit fails is not
 *       committed but logged and recorded ({@link RecoveryCommitter}); one that commits is committed.
 *   <li>A commit that fails with any {@link Throwable} blocks every later commit until the
 *       restore: {@link TwoPhaseCommitSinkFunction#notifyCheckpointComplete} would otherwise go on
 *       with the next checkpoint, whose higher txn version would hide the failed one.
 *   <li>{@code abort} deletes the files of transactions no checkpoint sealed (unless unaligned
 *       checkpoints are on, where such a file may still be in a checkpoint's in-flight data; then
 *       they are left as orphans for Delta {@code VACUUM}).
 * </ul>
 */
@Internal
public final class DeltaCommitSink
        extends TwoPhaseCommitSinkFunction<CommitterInput, DeltaTransaction, DeltaCommitterContext> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeltaCommitSink.class);

    private final RowType rowType;
    private final DeltaSinkConfig config;

    private transient Engine engine;
    private transient DeltaCommitter committer;
    private transient DeltaCommitterMetrics metrics;
    private transient long snapshottingCheckpointId;
    private transient boolean commitFailed;
    private transient boolean finished;
    private transient long restoredCheckpointId;
    private transient RestoreCheck restoreCheck;
    /** The newest source position seen (merged), sealed into each transaction at its barrier. */
    private transient SourceProgress progress;
    /** The position the table holds for this sink as far as this task knows. */
    private transient SourceProgress committedProgress;

    public DeltaCommitSink(RowType rowType, DeltaSinkConfig config) {
        super(DeltaTransactionSerializer.INSTANCE, DeltaCommitterContextSerializer.INSTANCE);
        this.rowType = rowType;
        this.config = config;
    }

    /** Created lazily: {@code initializeState} (which re-commits) runs before {@code open}. */
    private DeltaCommitter committer() {
        if (committer == null) {
            engine = KernelEngines.create(config.hadoopConf());
            committer = Committers.open(engine, config, rowType, config.retryPolicy());
        }
        return committer;
    }

    private DeltaCommitterMetrics metrics() {
        if (metrics == null) {
            metrics = new DeltaCommitterMetrics(getRuntimeContext().getMetricGroup());
        }
        return metrics;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext)
            throws Exception {
        super.open(openContext);
        CheckpointingRequirements.check(getRuntimeContext(), config.tablePath());
        metrics();
        committer();
    }

    /** End of input: the open transaction is sealed by the final checkpoint, never aborted. */
    @Override
    protected void finishProcessing(DeltaTransaction transaction) {
        finished = true;
    }

    /** The table's recorded progress, merged into the progress this task carries forward. */
    private void mergeTableProgress() {
        SourceProgress recorded = committer().recordedProgress().orElse(SourceProgress.empty());
        progress = progress.merge(recorded);
        committedProgress = recorded;
        if (!recorded.isEmpty()) {
            LOG.info("{} records source progress {}", config.tablePath(), recorded);
        }
    }

    @Override
    protected Optional<DeltaCommitterContext> initializeUserContext() {
        DeltaCommitterContext context = DeltaCommitterContext.mint();
        LOG.info(
                "Delta committer for {} starts without restored state; new appId {}",
                config.tablePath(),
                context.appId());
        if (config.progressId() != null) {
            mergeTableProgress();
        }
        return Optional.of(context);
    }

    @Override
    protected DeltaTransaction beginTransaction() {
        return new DeltaTransaction(getUserContext().orElseThrow().appId());
    }

    @Override
    protected void invoke(DeltaTransaction transaction, CommitterInput input, Context context) {
        if (input.isFile()) {
            transaction.add(input.file());
            metrics().fileStaged();
        } else {
            progress = progress.advance(input.progressKey(), input.position());
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        restoredCheckpointId = context.getRestoredCheckpointId().orElse(DeltaTransaction.UNSEALED);
        restoreCheck = null;
        progress = SourceProgress.empty();
        committedProgress = SourceProgress.empty();
        super.initializeState(context);
    }

    /**
     * The rewind check for this restore, made once, before the first recovered transaction is
     * committed: with the id of the checkpoint the job was restored from (present even when no
     * transaction was pending).
     */
    private RestoreCheck restoreCheck() {
        if (restoreCheck == null) {
            restoreCheck =
                    committer()
                            .checkRestore(
                                    getUserContext().orElseThrow(),
                                    restoredCheckpointId,
                                    config.allowRewind());
        }
        return restoreCheck;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        snapshottingCheckpointId = context.getCheckpointId();
        super.snapshotState(context);
    }

    @Override
    protected void preCommit(DeltaTransaction transaction) {
        transaction.seal(snapshottingCheckpointId, progress);
        LOG.debug("Sealed {}", transaction);
    }

    @Override
    protected void commit(DeltaTransaction transaction) {
        if (commitFailed) {
            throw SinkErrors.commitBlocked(transaction.checkpointId(), config.tablePath());
        }
        if (transaction.files().isEmpty() && transaction.progress().equals(committedProgress)) {
            return; // nothing new: no snapshot to load, no commit (an idle job does not grow the log)
        }
        try {
            config.commitListener().beforeCommit(transaction, false);
            CommitResult result = committer().commit(transaction);
            committedProgress = transaction.progress();
            metrics().committed(result);
            metrics().filesLeft(transaction.files().size());
            config.commitListener().afterCommit(transaction, result, false);
        } catch (Throwable t) {
            // any Throwable, Errors included: no later checkpoint may commit before this one
            commitFailed = true;
            throw t;
        }
    }

    @Override
    protected void recoverAndCommit(DeltaTransaction transaction) {
        RestoreCheck check = restoreCheck();
        progress = progress.merge(transaction.progress());
        new RecoveryCommitter(committer(), config)
                .recover(transaction, check)
                .ifPresent(result -> metrics().committed(result));
    }

    @Override
    protected void finishRecoveringContext(Collection<DeltaTransaction> handledTransactions) {
        DeltaCommitterContext restored = getUserContext().orElseThrow();
        userContext = Optional.of(committer().contextAfterRestore(restored, restoreCheck()));
        // after an accepted rewind the table's positions are ahead of what is re-read: do not carry
        // them forward (they would claim rows the re-read range has yet to write)
        if (config.progressId() != null && !restoreCheck().rewound()) {
            mergeTableProgress();
        }
    }

    /**
     * Unaligned checkpoints as the job's configuration says at runtime (the builder also checks the
     * environment when the sink is attached).
     */
    private boolean unalignedCheckpointsConfigured() {
        return getRuntimeContext() instanceof StreamingRuntimeContext
                && ((StreamingRuntimeContext) getRuntimeContext())
                        .getJobConfiguration()
                        .get(CheckpointingOptions.ENABLE_UNALIGNED);
    }

    @Override
    protected void abort(DeltaTransaction transaction) {
        if (transaction.isSealed()) {
            LOG.warn("Not aborting {}: a checkpoint sealed it, it may still be committed", transaction);
            return;
        }
        if (transaction.files().isEmpty()) {
            return;
        }
        if (finished) {
            throw SinkErrors.filesAfterLastCheckpoint(transaction, config.tablePath());
        }
        if (!config.deleteAbortedFiles() || unalignedCheckpointsConfigured()) {
            LOG.info(
                    "Leaving {} uncommitted files of an aborted transaction as orphans (unaligned"
                            + " checkpoints may still hold them); Delta VACUUM removes them",
                    transaction.files().size());
            return;
        }
        committer();
        AbortedFiles.delete(engine, transaction);
        if (metrics != null) {
            metrics.filesLeft(transaction.files().size());
        }
    }
}
