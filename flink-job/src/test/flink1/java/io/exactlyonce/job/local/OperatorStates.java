package io.exactlyonce.job.local;

import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.jobgraph.OperatorID;

/** Builds checkpoint metadata's operator states; this is the Flink 1.20 variant (no name or uid). */
final class OperatorStates {

    private OperatorStates() {}

    static OperatorState of(OperatorID id, int parallelism, int maxParallelism) {
        return new OperatorState(id, parallelism, maxParallelism);
    }
}
