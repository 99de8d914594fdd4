package io.exactlyonce.delta.sink.core;

import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.TestRows;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link DeltaTableBootstrap}: creating a missing table with a plain reader/writer
 * protocol, finding an existing compatible table, and refusing an incompatible one without writing
 * to it. Real Delta tables in a temp directory.
 */
class DeltaTableBootstrapTest {

    private static final StructType SCHEMA = DeltaSchemaConverter.toDeltaSchema(TestRows.ROW_TYPE);

    @TempDir Path tmp;
    private Path dir;
    private String table;
    private Engine engine;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("table");
        table = dir.toUri().toString();
        engine = KernelEngines.create(Map.of());
    }

    @Test
    void missingTableIsCreatedWithSchemaAndPartitionColumns() {
        assertThat(Files.exists(dir)).isFalse();

        Snapshot snapshot =
                DeltaTableBootstrap.ensureTable(
                        engine, table, SCHEMA, List.of("event_date"), Map.of());

        assertThat(snapshot.getVersion()).isZero();
        assertThat(snapshot.getSchema()).isEqualTo(SCHEMA);
        assertThat(snapshot.getPartitionColumnNames()).containsExactly("event_date");
        assertThat(Files.exists(dir.resolve("_delta_log/00000000000000000000.json"))).isTrue();

        Snapshot reread = new DeltaTableReader(table).snapshot();
        assertThat(reread.getVersion()).isZero();
        assertThat(reread.getSchema()).isEqualTo(SCHEMA);
        assertThat(reread.getPartitionColumnNames()).containsExactly("event_date");
    }

    @Test
    void unpartitionedTableIsCreatedWithTableProperties() throws IOException {
        Snapshot snapshot =
                DeltaTableBootstrap.ensureTable(
                        engine, table, SCHEMA, List.of(), Map.of("delta.checkpointInterval", "5"));

        assertThat(snapshot.getVersion()).isZero();
        assertThat(snapshot.getPartitionColumnNames()).isEmpty();
        assertThat(commit0()).contains("\"delta.checkpointInterval\":\"5\"");
        assertPlainProtocol(protocolLine());
    }

    @Test
    void createdTableHasAPlainProtocolEveryDeltaReaderOpens() throws IOException {
        DeltaTableBootstrap.ensureTable(engine, table, SCHEMA, List.of("event_date"), Map.of());

        assertPlainProtocol(protocolLine());
    }

    @Test
    void secondEnsureWithTheSameSchemaReturnsTheExistingSnapshot() throws IOException {
        DeltaTableBootstrap.ensureTable(engine, table, SCHEMA, List.of("event_date"), Map.of());
        List<String> logBefore = logFiles();

        Snapshot again =
                DeltaTableBootstrap.ensureTable(
                        KernelEngines.create(Map.of()), table, SCHEMA, List.of("event_date"), Map.of());

        assertThat(again.getVersion()).isZero();
        assertThat(again.getSchema()).isEqualTo(SCHEMA);
        assertThat(again.getPartitionColumnNames()).containsExactly("event_date");
        assertThat(logFiles()).as("nothing written by the second call").isEqualTo(logBefore);
    }

    @Test
    void differentPartitioningIsRefusedAndNothingIsWritten() throws IOException {
        DeltaTableBootstrap.ensureTable(engine, table, SCHEMA, List.of("event_date"), Map.of());
        List<String> logBefore = logFiles();

        assertThatThrownBy(
                        () ->
                                DeltaTableBootstrap.ensureTable(
                                        engine, table, SCHEMA, List.of("name"), Map.of()))
                .isInstanceOf(TableSchemaMismatchException.class)
                .hasMessageContaining(table)
                .hasMessageContaining("table partitioned by: [event_date]")
                .hasMessageContaining("sink partitioned by:  [name]");
        assertThatThrownBy(
                        () -> DeltaTableBootstrap.ensureTable(engine, table, SCHEMA, List.of(), Map.of()))
                .as("unpartitioned sink on a partitioned table")
                .isInstanceOf(TableSchemaMismatchException.class);

        assertThat(new DeltaTableReader(table).version()).isZero();
        assertThat(logFiles()).isEqualTo(logBefore);
    }

    @Test
    void differentSchemaIsRefusedShowingBothSchemas() {
        StructType tableSchema =
                new StructType().add("id", LongType.LONG, false).add("other", IntegerType.INTEGER, true);
        DeltaTableBootstrap.ensureTable(engine, table, tableSchema, List.of(), Map.of());

        assertThatThrownBy(() -> DeltaTableBootstrap.ensureTable(engine, table, SCHEMA, List.of(), Map.of()))
                .isInstanceOf(TableSchemaMismatchException.class)
                .hasMessageContaining("table schema")
                .hasMessageContaining("other")
                .hasMessageContaining("sink schema")
                .hasMessageContaining("event_date");
        assertThat(new DeltaTableReader(table).version()).isZero();
    }

    @Test
    void differentNullabilityIsRefused() {
        StructType nullableId =
                new StructType().add("id", LongType.LONG, true).add("name", StringType.STRING, true);
        StructType requiredId =
                new StructType().add("id", LongType.LONG, false).add("name", StringType.STRING, true);
        DeltaTableBootstrap.ensureTable(engine, table, nullableId, List.of(), Map.of());

        assertThatThrownBy(() -> DeltaTableBootstrap.ensureTable(engine, table, requiredId, List.of(), Map.of()))
                .isInstanceOf(TableSchemaMismatchException.class)
                .hasMessageContaining("NOT NULL");
    }

    // ------------------------------------------------------------------------------- helpers

    private String commit0() throws IOException {
        return Files.readString(dir.resolve("_delta_log/00000000000000000000.json"));
    }

    private static void assertPlainProtocol(String protocolLine) {
        int minReader = intField(protocolLine, "minReaderVersion");
        int minWriter = intField(protocolLine, "minWriterVersion");

        // A plain protocol: reader 1, writer at most 2, no table-feature lists (those need 3/7).
        assertThat(minReader).as("minReaderVersion in %s", protocolLine).isEqualTo(1);
        assertThat(minWriter).as("minWriterVersion in %s", protocolLine).isLessThanOrEqualTo(2);
        assertThat(protocolLine)
                .as("no table features in %s", protocolLine)
                .doesNotContain("readerFeatures")
                .doesNotContain("writerFeatures");
    }

    private String protocolLine() throws IOException {
        return commit0().lines()
                .filter(l -> l.startsWith("{\"protocol\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no protocol action in commit 0"));
    }

    private List<String> logFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("_delta_log"))) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static int intField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
