package io.exactlyonce.delta.sink.flink;

import org.apache.flink.streaming.api.operators.ChainingStrategy;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The parallel half of the Delta sink: writes incoming rows to Parquet files in the table
 * directory and, at every checkpoint barrier and at end of input, closes them and emits their
 * {@link StagedFile} descriptions to the committer.
 *
 * <p>Thin Flink glue over {@link RowDataDeltaWriter}. The operator keeps no state: everything it
 * wrote before a barrier has been handed to the committer's checkpointed transaction; anything
 * written after the last barrier is re-produced from the source's checkpointed position after a
 * failure, and the abandoned files are unreferenced orphans. That also makes its parallelism free
 * to change between restores.
 */
@Internal
public final class DeltaWriterOperator extends AbstractStreamOperator<CommitterInput>
        implements OneInputStreamOperator<RowData, CommitterInput>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeltaWriterOperator.class);

    private final RowType rowType;
    private final DeltaSinkConfig config;

    private transient RowDataDeltaWriter writer;
    private transient Counter stagedFiles;
    private transient Counter stagedBytes;
    private transient Counter stagedRows;

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
        Engine engine = KernelEngines.create(config.hadoopConf());
        StructType schema = DeltaSchemaConverter.toDeltaSchema(rowType);
        Snapshot snapshot = DeltaTableBootstrap.ensureTable(engine, config, schema);
        var transactionState =
                snapshot.buildUpdateTableTransaction(KernelEngines.ENGINE_INFO, Operation.WRITE)
                        .build(engine)
                        .getTransactionState(engine);
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        writer =
                new RowDataDeltaWriter(
                        engine,
                        transactionState,
                        rowType,
                        schema,
                        config.partitionColumns(),
                        config.batchRows(),
                        config.batchBytes(),
                        config.maxOpenPartitions(),
                        "delta-parquet-" + subtask);
        MetricGroup group = getMetricGroup().addGroup("DeltaWriter");
        stagedFiles = group.counter("stagedFiles");
        stagedBytes = group.counter("stagedBytes");
        stagedRows = group.counter("stagedRows");
        group.gauge("openPartitions", () -> writer == null ? 0 : writer.openPartitions());
        LOG.info(
                "Delta writer {} opened on {} (table version {})",
                subtask,
                config.tablePath(),
                snapshot.getVersion());
    }

    @Override
    public void processElement(StreamRecord<RowData> element) throws Exception {
        writer.write(element.getValue());
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emit(writer.flush(), checkpointId);
    }

    @Override
    public void endInput() throws Exception {
        emit(writer.flush(), -1);
    }

    private void emit(List<StagedFile> files, long checkpointId) {
        for (StagedFile file : files) {
            output.collect(new StreamRecord<>(CommitterInput.file(file)));
            stagedFiles.inc();
            stagedBytes.inc(file.sizeBytes());
            stagedRows.inc(file.numRecords());
        }
        if (!files.isEmpty()) {
            LOG.debug(
                    "Staged {} files for {}",
                    files.size(),
                    checkpointId < 0 ? "end of input" : "checkpoint " + checkpointId);
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
