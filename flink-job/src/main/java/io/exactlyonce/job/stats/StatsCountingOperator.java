package io.exactlyonce.job.stats;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.table.data.RowData;

/**
 * Base of the operators that count what they do per checkpoint (parse, dedup): {@link #stats()}
 * collects the counts, which are sent to the metrics operator before every barrier and at end of
 * input, so they belong to the same checkpoint as the rows they describe.
 */
public abstract class StatsCountingOperator<IN> extends AbstractStreamOperator<RowData>
        implements OneInputStreamOperator<IN, RowData>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    private transient StatsEmitter stats;

    @Override
    public void open() throws Exception {
        super.open();
        stats = new StatsEmitter();
    }

    /** The counts of the current checkpoint. */
    protected final BatchStats stats() {
        return stats.current();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        stats.emit(output);
    }

    @Override
    public void endInput() {
        stats.emit(output);
    }
}
