package io.exactlyonce.job.progress;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;

/**
 * Drops the rows a table already holds after a start without Flink state: rows whose Kafka
 * partition and offset lie below the position the table recorded for that partition ({@link
 * PositionFloor}). The source starts each partition at the lowest position of all the job's tables
 * ({@link TableStartingOffsets}), so a table that got further re-sees rows it committed; this
 * filter, in front of that table's sink, keeps them out. Positions are those of the table when the
 * job was built; after a restore from a checkpoint the source resumes at or beyond them, so the
 * filter drops nothing. Counts what it drops in the {@code rowsAlreadyInTable} metric.
 */
public final class CoveredRowsFilter extends RichFilterFunction<RowData> {

    private static final long serialVersionUID = 1L;

    private final PositionFloor floor;
    private final int topicField;
    private final int partitionField;
    private final int offsetField;
    private transient Counter dropped;

    public CoveredRowsFilter(PositionFloor floor, int topicField, int partitionField, int offsetField) {
        this.floor = floor;
        this.topicField = topicField;
        this.partitionField = partitionField;
        this.offsetField = offsetField;
    }

    @Override
    public void open(OpenContext context) {
        floor.open();
        dropped = getRuntimeContext().getMetricGroup().counter("rowsAlreadyInTable");
    }

    @Override
    public boolean filter(RowData row) {
        if (floor.isEmpty()) {
            return true;
        }
        if (floor.covers(row.getString(topicField), row.getInt(partitionField), row.getLong(offsetField))) {
            dropped.inc();
            return false;
        }
        return true;
    }
}
