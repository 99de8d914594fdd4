package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.DeltaSink;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * What the sink does differently on the Flink line it is compiled for: this is the Flink 2.x
 * variant ({@code sink-delta-flink2}); {@code sink-delta} compiles the Flink 1.20 variant with the
 * same methods. Everything else in the sink is the same source on both lines.
 *
 * <p>Flink 2 removed {@code SinkFunction}: the Sink V2 adapter is the only one and the default, and
 * a builder asked for {@link DeltaSink.Api#SINK_FUNCTION} fails naming the option.
 */
@Internal
public final class FlinkLine {

    /** The Flink line, as named in messages and the README. */
    public static final String NAME = "2.x";

    /** The adapter a builder uses when none is chosen. */
    public static final DeltaSink.Api DEFAULT_API = DeltaSink.Api.SINK_V2;

    private FlinkLine() {}

    /** Whether this line can build the sink on {@code api}. */
    public static boolean supports(DeltaSink.Api api) {
        return api == DeltaSink.Api.SINK_V2;
    }

    /**
     * Whether the job that runs {@code context} takes checkpoints: a streaming job with a positive
     * checkpoint interval in its configuration, where Flink 2 keeps it (read directly: the runtime
     * context lost its own accessor in Flink 2.1, and the configuration helper is not in 2.0).
     */
    static boolean isCheckpointingEnabled(StreamingRuntimeContext context) {
        Configuration job = context.getJobConfiguration();
        return job.get(ExecutionOptions.RUNTIME_MODE) != RuntimeExecutionMode.BATCH
                && job.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                        .map(interval -> interval.toMillis() > 0)
                        .orElse(false);
    }

    /**
     * Never reached: the builder refuses {@link DeltaSink.Api#SINK_FUNCTION} on this line.
     *
     * @throws IllegalStateException always
     */
    public static DataStreamSink<?> appendSinkFunction(
            DataStream<RowData> input,
            RowType rowType,
            DeltaSinkConfig config,
            String uidPrefix,
            Integer writerParallelism,
            DataStream<CommitterInput> progress) {
        throw new IllegalStateException("Flink " + NAME + " has no SinkFunction; the sink is built on Sink V2");
    }
}
