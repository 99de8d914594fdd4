package io.exactlyonce.delta.sink.flink;

import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * Harness settings that are spelled differently on each Flink line; this is the Flink 1.20 variant
 * (the operator reads checkpointing from its stream config).
 */
final class FlinkLineHarness {

    private FlinkLineHarness() {}

    /** Makes the harness's operator see a job with checkpointing enabled. */
    static void enableCheckpointing(AbstractStreamOperatorTestHarness<?> harness) {
        harness.getStreamConfig().setCheckpointingEnabled(true);
    }
}
