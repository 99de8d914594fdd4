package io.exactlyonce.job.stats;

import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.transformations.PhysicalTransformation;
import io.exactlyonce.job.progress.PositionFloor;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import io.exactlyonce.job.OrderSchema;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

/**
 * Base of the operators that count what they do per checkpoint (parse, dedup): {@link #stats()}
 * collects the counts, which are sent to the metrics operator before every barrier and at end of
 * input, so they belong to the same checkpoint as the rows they describe.
 *
 * <p>After a start without Flink state the source may re-read records whose counts the metrics
 * table already holds: with {@link #countingFrom} set, records at positions the metrics table
 * recorded are processed but not counted again ({@link #counts}).
 */
public abstract class StatsCountingOperator<IN> extends AbstractStreamOperator<RowData>
        implements OneInputStreamOperator<IN, RowData>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    private transient StatsEmitter stats;
    private PositionFloor metricsFloor;

    protected StatsCountingOperator() {}

    /**
     * Chains the operator of {@code stream} to its input like a user function (Flink's default for
     * a custom operator is to start a new task): parse runs in the source's thread, with no
     * serialization between them. Set on the transformation, the one place both Flink lines accept
     * it (Flink 2 operators have no chaining strategy of their own).
     */
    public static <T> SingleOutputStreamOperator<T> chainedToInput(SingleOutputStreamOperator<T> stream) {
        ((PhysicalTransformation<T>) stream.getTransformation()).setChainingStrategy(ChainingStrategy.ALWAYS);
        return stream;
    }

    /** Counts only records beyond the positions the metrics table recorded; returns this operator. */
    public StatsCountingOperator<IN> countingFrom(PositionFloor metricsTablePositions) {
        this.metricsFloor = metricsTablePositions;
        return this;
    }

    /** Whether every record is counted (no start from the tables' positions): a cheap pre-check. */
    protected final boolean countsEverything() {
        return metricsFloor == null || metricsFloor.isEmpty();
    }

    /** Whether the record at this position is counted (the metrics table does not hold it yet). */
    protected final boolean counts(String topic, int partition, long offset) {
        return metricsFloor == null || !metricsFloor.covers(topic, partition, offset);
    }

    /** Whether the metrics table already counted the record at this position (a pure lookup). */
    protected final boolean metricsTableCounted(String topic, int partition, long offset) {
        return metricsFloor != null && metricsFloor.holds(topic, partition, offset);
    }

    /** {@link #counts(String, int, long)} for a row's topic, without decoding it. */
    protected final boolean counts(org.apache.flink.table.data.StringData topic, int partition, long offset) {
        return metricsFloor == null || !metricsFloor.covers(topic, partition, offset);
    }

    @Override
    public void open() throws Exception {
        super.open();
        stats = new StatsEmitter();
        if (metricsFloor != null) {
            metricsFloor.open();
        }
    }

    /** Adds an order row that goes to the orders table to the counts of the current checkpoint. */
    protected final void countRow(RowData row) {
        DecimalData amount =
                row.isNullAt(OrderSchema.AMOUNT)
                        ? null
                        : row.getDecimal(OrderSchema.AMOUNT, OrderSchema.AMOUNT_PRECISION, OrderSchema.AMOUNT_SCALE);
        TimestampData eventTime = row.getTimestamp(OrderSchema.EVENT_TIME, 6);
        stats.current()
                .addRow(
                        amount == null ? null : amount.toBigDecimal(),
                        eventTime.getMillisecond() * 1000L + eventTime.getNanoOfMillisecond() / 1000);
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
