package io.exactlyonce.delta.sink.core;

import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink's Parquet dictionary cap ({@link KernelEngines#DICTIONARY_PAGE_SIZE_KEY}, 64 KiB by
 * default) reaches Kernel's writer: a column whose distinct values need more than the cap is
 * written plain, a low-cardinality column keeps its dictionary, and a cap set in the sink's Hadoop
 * configuration wins over the default. Read from the written files' Parquet footers.
 */
class ParquetDictionaryDefaultTest {

    private static final RowType ROW_TYPE =
            RowType.of(
                    new org.apache.flink.table.types.logical.LogicalType[] {
                        new VarCharType(false, VarCharType.MAX_LENGTH), new VarCharType(false, VarCharType.MAX_LENGTH)
                    },
                    new String[] {"medium", "code"});

    @TempDir Path tmp;

    @Test
    void columnsBeyondTheDefaultCapAreWrittenPlainAndSmallOnesKeepTheirDictionary() throws Exception {
        Map<String, Boolean> dictionary = dictionaryEncoded(write(tmp.resolve("default"), Map.of()));
        assertThat(dictionary).containsEntry("medium", false).containsEntry("code", true);
    }

    @Test
    void aCapSetInTheSinksHadoopConfigurationWins() throws Exception {
        Map<String, Boolean> dictionary =
                dictionaryEncoded(write(tmp.resolve("1mib"), Map.of(KernelEngines.DICTIONARY_PAGE_SIZE_KEY, "1048576")));
        assertThat(dictionary).containsEntry("medium", true).containsEntry("code", true);
    }

    /** 12,000 rows: 3,000 distinct 32-byte values (~100 KB of dictionary) and 3 codes. */
    private static List<StagedFile> write(Path dir, Map<String, String> hadoopConf) throws Exception {
        Engine engine = KernelEngines.create(hadoopConf);
        StructType schema = DeltaSchemaConverter.toDeltaSchema(ROW_TYPE);
        String table = dir.toUri().toString();
        Snapshot snapshot = DeltaTableBootstrap.ensureTable(engine, table, schema, List.of(), Map.of());
        try (RowDataDeltaWriter writer =
                new RowDataDeltaWriter(
                        engine,
                        snapshot.buildUpdateTableTransaction("test", Operation.WRITE).build(engine).getTransactionState(engine),
                        ROW_TYPE, schema, List.of(), 1_000, 4, "test-writer")) {
            for (int i = 0; i < 12_000; i++) {
                writer.write(GenericRowData.of(
                        StringData.fromString(String.format("customer-with-a-long-name-%06d", i % 3_000)),
                        StringData.fromString(new String[] {"EUR", "USD", "GBP"}[i % 3])));
            }
            return writer.flush();
        }
    }

    private static Map<String, Boolean> dictionaryEncoded(List<StagedFile> files) throws Exception {
        assertThat(files).hasSize(1);
        Map<String, Boolean> result = new HashMap<>();
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(files.get(0).path()), new Configuration()))) {
            assertThat(reader.getRowGroups()).hasSize(1);
            for (ColumnChunkMetaData chunk : reader.getRowGroups().get(0).getColumns()) {
                Set<Encoding> encodings = chunk.getEncodings();
                result.put(chunk.getPath().toDotString(),
                        encodings.contains(Encoding.PLAIN_DICTIONARY) || encodings.contains(Encoding.RLE_DICTIONARY));
            }
        }
        return result;
    }
}
