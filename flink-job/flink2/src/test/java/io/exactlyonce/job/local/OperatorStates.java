package io.exactlyonce.job.local;

import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.jobgraph.OperatorID;

/**
 * Builds checkpoint metadata's operator states; this is the Flink 2 variant, whose operator state
 * also carries the operator's name and uid (the tests identify operators by id only).
 */
final class OperatorStates {

    private OperatorStates() {}

    static OperatorState of(OperatorID id, int parallelism, int maxParallelism) {
        return new OperatorState(null, null, id, parallelism, maxParallelism);
    }
}
