package io.exactlyonce.delta.sink.flink;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

import java.time.Duration;

/**
 * Harness settings that are spelled differently on each Flink line; this is the Flink 2.x variant
 * (the operator reads checkpointing from the job configuration).
 */
final class FlinkLineHarness {

    private FlinkLineHarness() {}

    /** Makes the harness's operator see a job with checkpointing enabled. */
    static void enableCheckpointing(AbstractStreamOperatorTestHarness<?> harness) {
        harness.getEnvironment()
                .getJobConfiguration()
                .set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
    }
}
