package io.exactlyonce.job.stats;

import io.exactlyonce.job.OrderSchema;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

import java.util.List;

/**
 * Sums the parser's and dedup's {@link BatchStats} per checkpoint into one metrics-table row
 * (parallelism 1). With aligned barriers, every partial count that precedes barrier N arrives
 * before this operator's own barrier N, so the row it emits there describes exactly the rows the
 * data table commits for checkpoint N, and is committed by the same checkpoint. Checkpoints without
 * any record produce no row. At end of input the remaining counts are labelled with the id of the
 * checkpoint after the last one this operator saw or was restored from (the final checkpoint that
 * commits them), so a restored run that ends before its first checkpoint does not repeat an id.
 *
 * <p>Its only state is the id of the last checkpoint: counts of a failed attempt are discarded with
 * the rows they describe.
 */
public final class MetricsOperator extends AbstractStreamOperator<RowData>
        implements OneInputStreamOperator<BatchStats, RowData>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    /** The id of the last checkpoint taken, so a restore knows which ids the table may hold. */
    static final String LAST_CHECKPOINT_STATE = "metrics-last-checkpoint-id";

    private transient BatchStats sum;
    private transient long lastCheckpointId;
    private transient ListState<Long> lastCheckpointState;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // after a restore, the checkpoint restored from is the last one whose rows can be in the
        // table: the end-of-input label must come after it, not restart at 1 (a second row for an
        // id). Kept in state because Flink gives a task without state no restored checkpoint id.
        lastCheckpointState =
                context.getOperatorStateStore()
                        .getUnionListState(new ListStateDescriptor<>(LAST_CHECKPOINT_STATE, LongSerializer.INSTANCE));
        lastCheckpointId = 0;
        for (Long id : lastCheckpointState.get()) {
            lastCheckpointId = Math.max(lastCheckpointId, id);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        lastCheckpointState.update(List.of(context.getCheckpointId()));
    }

    @Override
    public void open() throws Exception {
        super.open();
        sum = new BatchStats();
    }

    @Override
    public void processElement(StreamRecord<BatchStats> element) {
        sum.add(element.getValue());
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        lastCheckpointId = checkpointId;
        emit(checkpointId);
    }

    @Override
    public void endInput() {
        emit(lastCheckpointId + 1);
    }

    private void emit(long checkpointId) {
        if (sum.isEmpty()) {
            return;
        }
        GenericRowData row = new GenericRowData(OrderSchema.METRICS.getFieldCount());
        row.setField(0, checkpointId);
        row.setField(1, sum.rows);
        row.setField(2, DecimalData.fromBigDecimal(sum.amountSum, 38, OrderSchema.AMOUNT_SCALE));
        row.setField(3, sum.duplicates);
        row.setField(4, sum.deadLetters);
        row.setField(5, micros(sum.minEventMicros));
        row.setField(6, micros(sum.maxEventMicros));
        output.collect(new StreamRecord<>(row));
        sum = new BatchStats();
    }

    private static TimestampData micros(Long micros) {
        return micros == null
                ? null
                : TimestampData.fromEpochMillis(
                        Math.floorDiv(micros, 1000L), (int) Math.floorMod(micros, 1000L) * 1000);
    }
}
