package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.KernelEngines;
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
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The writing side of the Delta sink that both Flink adapters share (the {@link
 * DeltaWriterOperator} of the {@code SinkFunction} sink and the {@link DeltaSinkWriter} of the
 * Sink V2 sink): creates or verifies the table, writes rows to Parquet files through {@link
 * RowDataDeltaWriter}, and at each checkpoint barrier or end of input closes them and returns
 * them as {@link StagedFile}s, counting them in the metric group {@code DeltaWriter}
 * ({@code stagedFiles}, {@code stagedBytes}, {@code stagedRows}, {@code openPartitions}).
 *
 * <p>It keeps no state: files written after the last barrier are abandoned by a failure (orphans
 * that no log references) and re-produced from the source's checkpointed position.
 */
@Internal
final class StagingWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StagingWriter.class);

    private final RowDataDeltaWriter writer;
    private final Counter stagedFiles;
    private final Counter stagedBytes;
    private final Counter stagedRows;

    StagingWriter(RowType rowType, DeltaSinkConfig config, int subtask, MetricGroup metrics) {
        Engine engine = KernelEngines.create(config.hadoopConf());
        StructType schema = DeltaSchemaConverter.toDeltaSchema(rowType);
        Snapshot snapshot = DeltaTableBootstrap.ensureTable(engine, config, schema);
        var transactionState =
                snapshot.buildUpdateTableTransaction(KernelEngines.ENGINE_INFO, Operation.WRITE)
                        .build(engine)
                        .getTransactionState(engine);
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
        MetricGroup group = metrics.addGroup("DeltaWriter");
        stagedFiles = group.counter("stagedFiles");
        stagedBytes = group.counter("stagedBytes");
        stagedRows = group.counter("stagedRows");
        group.gauge("openPartitions", writer::openPartitions);
        LOG.info(
                "Delta writer {} opened on {} (table version {})",
                subtask,
                config.tablePath(),
                snapshot.getVersion());
    }

    void write(RowData row) throws Exception {
        writer.write(row);
    }

    /** Closes every open file and returns the files closed since the last call. */
    List<StagedFile> stage() throws Exception {
        List<StagedFile> files = writer.flush();
        for (StagedFile file : files) {
            stagedFiles.inc();
            stagedBytes.inc(file.sizeBytes());
            stagedRows.inc(file.numRecords());
        }
        if (!files.isEmpty()) {
            LOG.debug("Staged {} files", files.size());
        }
        return files;
    }

    /** Aborts whatever is open: those files never reach a transaction. */
    @Override
    public void close() {
        writer.close();
    }
}
