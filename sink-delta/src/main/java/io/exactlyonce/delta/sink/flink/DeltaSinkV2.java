package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTransaction;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The Delta sink on Flink's Sink V2 API: {@link DeltaSinkWriter}s (parallel, chained to the input)
 * stage Parquet files; a pre-commit topology of one {@link DeltaTransactionSealer} (parallelism 1)
 * seals them into one {@link DeltaTransaction} per checkpoint under the appId it keeps in its state;
 * Flink's committer operator keeps the sealed transactions until their checkpoint completes and
 * hands them to the {@link DeltaTransactionCommitter}, which commits each as one Delta commit.
 *
 * <p>Why a pre-commit topology: the commit protocol needs one transaction per checkpoint with a
 * stable appId kept in checkpointed state. A {@code Committer} has no state of its own, and a
 * committer at the sink's parallelism would commit per subtask. The sealer is that single stateful
 * point; its output goes to subtask 0 of the committer operator (which Flink runs at the sink's
 * parallelism), so one subtask commits, in checkpoint order.
 *
 * <p>Operator uids (the sink's uid is {@code <uidPrefix>-delta-sink}): writer {@code
 * <uidPrefix>-delta-sink}, sealer {@code <uidPrefix>-delta-sink: <uidPrefix>-delta-sealer},
 * committer {@code Sink Committer: <uidPrefix>-delta-sink}.
 */
@Internal
public final class DeltaSinkV2 extends SinkV2Bridge<RowData>
        implements SupportsCommitter<DeltaTransaction>,
                SupportsPreCommitTopology<CommitterInput, DeltaTransaction> {

    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private final DeltaSinkConfig config;
    private final String uidPrefix;
    /** The job's source positions, unioned into the sealer's input; only used to build the graph. */
    private final transient DataStream<CommitterInput> progress;

    public DeltaSinkV2(
            RowType rowType, DeltaSinkConfig config, String uidPrefix, DataStream<CommitterInput> progress) {
        this.rowType = rowType;
        this.config = config;
        this.uidPrefix = uidPrefix;
        this.progress = progress;
    }

    @Override
    SinkWriter<RowData> createWriter(int subtask, SinkWriterMetricGroup metrics) {
        return new DeltaSinkWriter(rowType, config, subtask, metrics);
    }

    @Override
    public DataStream<CommittableMessage<DeltaTransaction>> addPreCommitTopology(
            DataStream<CommittableMessage<CommitterInput>> committables) {
        DataStream<CommittableMessage<CommitterInput>> input = committables;
        if (progress != null) {
            input =
                    committables.union(
                            progress.map(new ProgressMessage())
                                    .returns(committables.getType())
                                    .uid(uidPrefix + "-delta-progress")
                                    .name("DeltaProgress: " + config.tablePath())
                                    .setParallelism(progress.getParallelism()));
        }
        return input.global()
                .transform(
                        "DeltaSealer: " + config.tablePath(),
                        CommittableMessageTypeInfo.of(DeltaSinkV2::committableSerializer),
                        new DeltaTransactionSealer(rowType, config))
                .uid(uidPrefix + "-delta-sealer")
                .setParallelism(1)
                .setMaxParallelism(1)
                // every sealed transaction to the committer's subtask 0: one committer, in order
                .global();
    }

    @Override
    public SimpleVersionedSerializer<CommitterInput> getWriteResultSerializer() {
        return new VersionedCodecSerializer<>(CommitterInputSerializer.INSTANCE);
    }

    @Override
    public Committer<DeltaTransaction> createCommitter(CommitterInitContext context) {
        return new DeltaTransactionCommitter(
                rowType,
                config,
                context.getRestoredCheckpointId().orElse(DeltaTransaction.UNSEALED),
                context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<DeltaTransaction> getCommittableSerializer() {
        return committableSerializer();
    }

    static SimpleVersionedSerializer<DeltaTransaction> committableSerializer() {
        return new VersionedCodecSerializer<>(DeltaTransactionSerializer.INSTANCE);
    }

    /** A source position as a message on the sealer's input, next to the writers' files. */
    private static final class ProgressMessage
            implements MapFunction<CommitterInput, CommittableMessage<CommitterInput>> {
        private static final long serialVersionUID = 1L;

        @Override
        public CommittableMessage<CommitterInput> map(CommitterInput position) {
            // the sealer assigns everything that arrives before a barrier to that barrier's checkpoint
            return new CommittableWithLineage<>(position, 0L, 0);
        }
    }
}
