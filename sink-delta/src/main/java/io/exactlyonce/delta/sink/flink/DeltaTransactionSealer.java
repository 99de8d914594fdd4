package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.AbortedFiles;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaCommitterContext;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.RestoreCheck;
import io.exactlyonce.delta.sink.core.SinkErrors;
import io.exactlyonce.delta.sink.core.SourceProgress;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.types.logical.RowType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The Sink V2 Delta sink's pre-commit topology: one operator (parallelism 1) that collects the files
 * of all writers and the job's source positions and seals, at each checkpoint barrier, one {@link
 * DeltaTransaction} {@code (appId, checkpointId, files, progress)} — the committable that the
 * {@link DeltaTransactionCommitter} appends as one Delta commit. It is the single point that keeps
 * the sink's identity: the appId lives in its checkpointed state (the open transaction, files
 * empty at every aligned barrier, with its source position), minted when it starts without state.
 *
 * <p>Failure cases: on restore it compares the restored checkpoint id with the table ({@link
 * DeltaCommitter#checkRestore}) and refuses a rewind unless {@code allowRewind} is set, in which case
 * it continues under a new appId; this covers restores where no transaction was pending (the
 * committer checks the pending ones). A checkpoint with no files and no moved position seals
 * nothing (an idle job writes no commits). Files that arrive after the last checkpoint of a
 * finished input fail the job loudly at close instead of being dropped; files of the open
 * transaction at a failure are deleted (no checkpoint holds them). It checks at open that
 * checkpointing is enabled, as without barriers nothing would ever be sealed.
 */
@Internal
final class DeltaTransactionSealer extends AbstractStreamOperator<CommittableMessage<DeltaTransaction>>
        implements OneInputStreamOperator<CommittableMessage<CommitterInput>, CommittableMessage<DeltaTransaction>>,
                BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeltaTransactionSealer.class);

    /** The open transaction: appId, files received since the last barrier, source position. */
    private static final ListStateDescriptor<DeltaTransaction> OPEN_TRANSACTION =
            new ListStateDescriptor<>("delta-open-transaction", DeltaTransactionSerializer.INSTANCE);

    private final RowType rowType;
    private final DeltaSinkConfig config;

    private transient ListState<DeltaTransaction> state;
    private transient DeltaCommitter committer;
    private transient DeltaTransaction open;
    private transient SourceProgress progress;
    private transient SourceProgress lastSealedProgress;
    private transient boolean finished;
    /** The last checkpoint whose barrier passed (or the restored one). */
    private transient long lastCheckpointId;

    DeltaTransactionSealer(RowType rowType, DeltaSinkConfig config) {
        this.rowType = rowType;
        this.config = config;
    }

    private DeltaCommitter committer() {
        if (committer == null) {
            committer = Committers.open(config, rowType, config.retryPolicy());
        }
        return committer;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
        state = context.getOperatorStateStore().getListState(OPEN_TRANSACTION);
        List<DeltaTransaction> restored = new ArrayList<>();
        state.get().forEach(restored::add);
        if (restored.isEmpty()) {
            DeltaCommitterContext fresh = DeltaCommitterContext.mint();
            LOG.info(
                    "Delta transaction sealer for {} starts without restored state; new appId {}",
                    config.tablePath(),
                    fresh.appId());
            open = new DeltaTransaction(fresh.appId());
            progress = tableProgress();
        } else {
            DeltaTransaction last = restored.get(0);
            DeltaCommitterContext context0 = new DeltaCommitterContext(last.appId());
            RestoreCheck check =
                    committer()
                            .checkRestore(
                                    context0,
                                    context.getRestoredCheckpointId().orElse(DeltaTransaction.UNSEALED),
                                    config.allowRewind());
            String appId = committer().contextAfterRestore(context0, check).appId();
            open = new DeltaTransaction(appId, DeltaTransaction.UNSEALED, last.files());
            // after an accepted rewind the table's positions are ahead of what is re-read
            progress = check.rewound() ? last.progress() : last.progress().merge(tableProgress());
        }
        lastSealedProgress = progress;
    }

    private SourceProgress tableProgress() {
        if (config.progressId() == null) {
            return SourceProgress.empty();
        }
        SourceProgress recorded = committer().recordedProgress().orElse(SourceProgress.empty());
        if (!recorded.isEmpty()) {
            LOG.info("{} records source progress {}", config.tablePath(), recorded);
        }
        return recorded;
    }

    @Override
    public void open() throws Exception {
        super.open();
        CheckpointingRequirements.check(getRuntimeContext(), config.tablePath());
    }

    @Override
    public void processElement(StreamRecord<CommittableMessage<CommitterInput>> element) {
        if (!(element.getValue() instanceof CommittableWithLineage)) {
            return; // writer summaries: the barrier, not the count, closes a transaction
        }
        CommitterInput input = ((CommittableWithLineage<CommitterInput>) element.getValue()).getCommittable();
        if (input.isFile()) {
            open.add(input.file());
        } else {
            progress = progress.advance(input.progressKey(), input.position());
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        lastCheckpointId = checkpointId;
        seal(checkpointId);
    }

    private void seal(long checkpointId) {
        if (open.files().isEmpty() && progress.equals(lastSealedProgress)) {
            return; // nothing new: no committable, no Delta commit
        }
        DeltaTransaction sealed = open;
        sealed.seal(checkpointId, progress);
        LOG.debug("Sealed {}", sealed);
        output.collect(new StreamRecord<>(new CommittableSummary<>(0, 1, checkpointId, 1, 0, 0)));
        output.collect(new StreamRecord<>(new CommittableWithLineage<>(sealed, checkpointId, 0)));
        lastSealedProgress = progress;
        open = new DeltaTransaction(sealed.appId());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(
                List.of(new DeltaTransaction(open.appId(), DeltaTransaction.UNSEALED, open.files(), progress)));
    }

    /**
     * End of input: seals what is left now, under the next checkpoint's id, because what this
     * operator emits after its input ended never reaches the committer (it has seen the end of
     * data). The committer commits it with the final checkpoint, whose id is at least that one.
     */
    @Override
    public void endInput() {
        seal(lastCheckpointId + 1);
        finished = true;
    }

    @Override
    public void close() throws Exception {
        try {
            if (open != null && !open.files().isEmpty()) {
                if (finished) {
                    throw SinkErrors.filesAfterLastCheckpoint(open, config.tablePath());
                }
                if (config.deleteAbortedFiles()) {
                    // aligned barriers only inside a Sink V2 sink: no checkpoint holds these files
                    AbortedFiles.delete(KernelEngines.create(config.hadoopConf()), open);
                }
            }
        } finally {
            super.close();
        }
    }
}
