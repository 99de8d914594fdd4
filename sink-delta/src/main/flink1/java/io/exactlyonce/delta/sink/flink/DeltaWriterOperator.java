package io.exactlyonce.delta.sink.flink;

import org.apache.flink.streaming.api.operators.ChainingStrategy;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.StagedFile;


import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;


import java.util.List;

/**
 * The parallel half of the Delta sink: writes incoming rows to Parquet files in the table
 * directory and, at every checkpoint barrier and at end of input, closes them and emits their
 * {@link StagedFile} descriptions to the committer.
 *
 * <p>Thin Flink glue over {@link StagingWriter} (shared with the Sink V2 writer). The operator keeps no state: everything it
 * wrote before a barrier has been handed to the committer's checkpointed transaction; anything
 * written after the last barrier is re-produced from the source's checkpointed position after a
 * failure, and the abandoned files are unreferenced orphans. That also makes its parallelism free
 * to change between restores.
 */
@Internal
public final class DeltaWriterOperator extends AbstractStreamOperator<CommitterInput>
        implements OneInputStreamOperator<RowData, CommitterInput>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private final DeltaSinkConfig config;

    private transient StagingWriter writer;

    public DeltaWriterOperator(RowType rowType, DeltaSinkConfig config) {
        this.rowType = rowType;
        this.config = config;
        // chained to its input (a custom operator starts a new task by default): rows reach the
        // writer without being serialized between tasks
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        writer =
                new StagingWriter(
                        rowType,
                        config,
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        getMetricGroup());
    }

    @Override
    public void processElement(StreamRecord<RowData> element) throws Exception {
        writer.write(element.getValue());
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emit(writer.stage());
    }

    @Override
    public void endInput() throws Exception {
        emit(writer.stage());
    }

    private void emit(List<StagedFile> files) {
        for (StagedFile file : files) {
            output.collect(new StreamRecord<>(CommitterInput.file(file)));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        } finally {
            super.close();
        }
    }
}
