package io.exactlyonce.delta.sink.testutil;

import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;

import java.util.List;
import java.util.Map;

/**
 * Writes real Parquet files of {@link TestRows} into a table directory with the sink's own writer
 * and returns their staged descriptions, as a writer subtask would hand them to the committer.
 */
public final class StagedFiles {

    private StagedFiles() {}

    public static List<StagedFile> write(String tablePath, long fromId, long toExclusive) {
        return write(tablePath, List.of(), fromId, toExclusive);
    }

    public static List<StagedFile> write(
            String tablePath, List<String> partitionColumns, long fromId, long toExclusive) {
        Engine engine = KernelEngines.create(Map.of());
        StructType schema = DeltaSchemaConverter.toDeltaSchema(TestRows.ROW_TYPE);
        Snapshot snapshot =
                DeltaTableBootstrap.ensureTable(engine, tablePath, schema, partitionColumns, Map.of());
        try (RowDataDeltaWriter writer =
                new RowDataDeltaWriter(
                        engine,
                        snapshot.buildUpdateTableTransaction("test", Operation.WRITE)
                                .build(engine)
                                .getTransactionState(engine),
                        TestRows.ROW_TYPE,
                        schema,
                        partitionColumns,
                        100,
                        4,
                        "test-writer")) {
            for (long id = fromId; id < toExclusive; id++) {
                writer.write(TestRows.row(id));
            }
            return writer.flush();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
