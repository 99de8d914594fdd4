package io.exactlyonce.job.stats;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Collects an operator's {@link BatchStats} between checkpoint barriers and sends them on the
 * {@link #STATS} side output when the operator reaches a barrier or the end of its input. Because
 * the stats travel before the barrier, the metrics operator downstream sees them in the same
 * checkpoint as the rows they describe.
 */
public final class StatsEmitter {

    public static final OutputTag<BatchStats> STATS =
            new OutputTag<>("batch-stats", TypeInformation.of(BatchStats.class));

    private BatchStats current = new BatchStats();

    public BatchStats current() {
        return current;
    }

    public void emit(Output<?> output) {
        if (!current.isEmpty()) {
            output.collect(STATS, new StreamRecord<>(current));
            current = new BatchStats();
        }
    }
}
