package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.DeltaSink;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;

import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * What the sink does differently on the Flink line it is compiled for: this is the Flink 1.20
 * variant (source directory {@code src/main/flink1}); {@code sink-delta-flink2} compiles its own
 * variant with the same methods against Flink 2.x. Everything else in the sink is the same source
 * on both lines.
 *
 * <p>On 1.20 both adapters exist and the {@code TwoPhaseCommitSinkFunction} one is the default.
 */
@Internal
public final class FlinkLine {

    /** The Flink line, as named in messages and the README. */
    public static final String NAME = "1.20";

    /** The adapter a builder uses when none is chosen. */
    public static final DeltaSink.Api DEFAULT_API = DeltaSink.Api.SINK_FUNCTION;

    private FlinkLine() {}

    /** Whether this line can build the sink on {@code api}. */
    public static boolean supports(DeltaSink.Api api) {
        return true;
    }

    /** Whether the job that runs {@code context} takes checkpoints. */
    static boolean isCheckpointingEnabled(StreamingRuntimeContext context) {
        return context.isCheckpointingEnabled();
    }

    /**
     * Attaches the {@code TwoPhaseCommitSinkFunction} adapter: parallel {@link DeltaWriterOperator}s
     * chained to the input, then one {@link DeltaCommitSink} (parallelism 1).
     */
    public static DataStreamSink<?> appendSinkFunction(
            DataStream<RowData> input,
            RowType rowType,
            DeltaSinkConfig config,
            String uidPrefix,
            Integer writerParallelism,
            DataStream<CommitterInput> progress) {
        SingleOutputStreamOperator<CommitterInput> staged =
                input.transform(
                                "DeltaWriter: " + config.tablePath(),
                                CommitterInputTypeInfo.INSTANCE,
                                new DeltaWriterOperator(rowType, config))
                        .uid(uidPrefix + "-delta-writer")
                        .name("DeltaWriter: " + config.tablePath());
        if (writerParallelism != null) {
            staged.setParallelism(writerParallelism);
        }
        // never chained to the writer: at writer parallelism 1 the chain would take the writer's
        // max parallelism, and a savepoint of it could not be restored at another parallelism
        DataStream<CommitterInput> toCommitter = progress == null ? staged : staged.union(progress);
        return toCommitter
                .addSink(new DeltaCommitSink(rowType, config))
                .uid(uidPrefix + "-delta-committer")
                .name("DeltaCommitter: " + config.tablePath())
                .setParallelism(1)
                .setMaxParallelism(1)
                .disableChaining();
    }
}
