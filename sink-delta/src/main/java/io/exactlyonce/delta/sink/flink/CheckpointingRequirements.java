package io.exactlyonce.delta.sink.flink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;

/**
 * The job settings the Delta sink cannot work without, checked when its committing operator opens
 * (both adapters): checkpointing enabled (files are committed on completed checkpoints only) and
 * checkpoints after tasks finish (the final checkpoint commits the files of the end of input).
 * Either missing fails the job at start with a message naming the setting, instead of a job that
 * silently never commits or loses its last rows.
 */
@Internal
final class CheckpointingRequirements {

    private CheckpointingRequirements() {}

    static void check(RuntimeContext context, String tablePath) {
        if (!(context instanceof StreamingRuntimeContext)) {
            return;
        }
        StreamingRuntimeContext streaming = (StreamingRuntimeContext) context;
        if (!FlinkLine.isCheckpointingEnabled(streaming)) {
            throw new IllegalStateException(
                    "The Delta sink for "
                            + tablePath
                            + " commits on completed checkpoints, but checkpointing is disabled:"
                            + " nothing would ever be committed. Enable it with"
                            + " env.enableCheckpointing(intervalMs) or"
                            + " 'execution.checkpointing.interval'.");
        }
        if (!streaming.getJobConfiguration()
                .get(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH)) {
            throw new IllegalStateException(
                    "The Delta sink for "
                            + tablePath
                            + " commits the files of the end of input with the final checkpoint, but '"
                            + CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH.key()
                            + "' is false: the last rows of a bounded run would be lost. Set it to true"
                            + " (the default).");
        }
    }
}
