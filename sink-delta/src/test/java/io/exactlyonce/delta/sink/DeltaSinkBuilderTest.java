package io.exactlyonce.delta.sink;

import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.TableSchemaMismatchException;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.TestRows;

import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;

import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link DeltaSink.Builder}: every invalid option is refused when the job graph is built,
 * with a message naming the option; an incompatible existing table is refused without being
 * written; a valid sink adds the documented writer and committer operators.
 */
class DeltaSinkBuilderTest extends SinkBuilderFixture {

    // ------------------------------------------------------------------------- validation

    @Test
    void missingTablePathIsRefused() {
        assertInvalidOption(
                DeltaSink.forRowType(TestRows.ROW_TYPE).uidPrefix("orders"), rows(), "tablePath");
    }

    @Test
    void blankTablePathIsRefused() {
        assertInvalidOption(
                DeltaSink.forRowType(TestRows.ROW_TYPE).tablePath("  ").uidPrefix("orders"),
                rows(),
                "tablePath");
    }

    @Test
    void missingUidPrefixIsRefused() {
        assertInvalidOption(DeltaSink.forRowType(TestRows.ROW_TYPE).tablePath(table), rows(), "uidPrefix");
    }

    @Test
    void unknownPartitionColumnIsRefused() {
        assertThatThrownBy(
                        () ->
                                valid().partitionColumns("event_date", "no_such_column")
                                        .append(rows()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'partitionColumns'")
                .hasMessageContaining("no_such_column");
        assertNothingCreated();
    }

    @Test
    void duplicatePartitionColumnIsRefused() {
        assertThatThrownBy(() -> valid().partitionColumns("event_date", "event_date").append(rows()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'partitionColumns'")
                .hasMessageContaining("once");
        assertNothingCreated();
    }

    @Test
    void doublePartitionColumnIsRefused() {
        RowType rowType =
                RowType.of(
                        new LogicalType[] {new BigIntType(false), new DoubleType()},
                        new String[] {"id", "score"});

        assertThatThrownBy(
                        () ->
                                DeltaSink.forRowType(rowType)
                                        .tablePath(table)
                                        .uidPrefix("scores")
                                        .partitionColumns("score")
                                        .append(rows(rowType)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'partitionColumns'")
                .hasMessageContaining("'score'")
                .hasMessageContaining("double");
        assertNothingCreated();
    }

    @Test
    void allColumnsAsPartitionColumnsIsRefused() {
        // two columns of a partitionable type, both declared as partition columns
        RowType rowType =
                RowType.of(
                        new LogicalType[] {new BigIntType(false), new BigIntType()},
                        new String[] {"a", "b"});

        assertThatThrownBy(
                        () ->
                                DeltaSink.forRowType(rowType)
                                        .tablePath(table)
                                        .uidPrefix("all")
                                        .partitionColumns("a", "b")
                                        .append(rows(rowType)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'partitionColumns'")
                .hasMessageContaining("at least one column");
        assertNothingCreated();
    }

    @Test
    void zeroBatchRowsIsRefused() {
        assertInvalidOption(valid().batchRows(0), rows(), "batchRows");
    }

    @Test
    void otherNonPositiveSizesAreRefused() {
        assertInvalidOption(valid().targetFileSizeBytes(0), rows(), "targetFileSizeBytes");
        assertInvalidOption(valid().maxOpenPartitions(0), rows(), "maxOpenPartitions");
        assertInvalidOption(valid().writerParallelism(0), rows(), "writerParallelism");
    }

    @Test
    void timestampWithoutTimeZoneIsRefusedAtBuild() {
        RowType rowType =
                RowType.of(
                        new LogicalType[] {new BigIntType(false), new TimestampType(3)},
                        new String[] {"id", "created"});

        assertThatThrownBy(
                        () ->
                                DeltaSink.forRowType(rowType)
                                        .tablePath(table)
                                        .uidPrefix("ts")
                                        .append(rows(rowType)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'created'")
                .hasMessageContaining("TIMESTAMP_LTZ");
        assertNothingCreated();
    }

    // --------------------------------------------------------------------- existing tables

    @Test
    void appendingToATableWithADifferentSchemaFailsAtBuildAndWritesNothing() throws IOException {
        StructType otherSchema =
                new StructType()
                        .add("id", LongType.LONG, false)
                        .add("quantity", IntegerType.INTEGER, true);
        DeltaTableBootstrap.ensureTable(
                KernelEngines.create(Map.of()), table, otherSchema, List.of(), Map.of());
        DeltaTableReader reader = new DeltaTableReader(table);
        long versionBefore = reader.version();
        List<String> logBefore = logFiles();

        assertThatThrownBy(() -> valid().append(rows()))
                .isInstanceOf(TableSchemaMismatchException.class)
                .hasMessageContaining("table schema")
                .hasMessageContaining("quantity")
                .hasMessageContaining("sink schema")
                .hasMessageContaining("event_date");

        assertThat(reader.version()).isEqualTo(versionBefore).isZero();
        assertThat(logFiles()).isEqualTo(logBefore);
        assertThat(env.getTransformations())
                .as("no operator was added to the job")
                .noneMatch(t -> t.getUid() != null && t.getUid().startsWith("orders-"));
    }

    @Test
    void appendingToATableWithDifferentPartitioningFailsAtBuild() {
        valid().partitionColumns("event_date").append(rows());
        long version = new DeltaTableReader(table).version();

        assertThatThrownBy(() -> valid().partitionColumns("name").append(rows()))
                .isInstanceOf(TableSchemaMismatchException.class)
                .hasMessageContaining("[event_date]")
                .hasMessageContaining("[name]");
        assertThat(new DeltaTableReader(table).version()).isEqualTo(version);
    }

    // ---------------------------------------------------------------------------- success

    @Test
    void sinkV2AddsWriterSealerAndCommitterWithDocumentedUids() {
        valid().api(DeltaSink.Api.SINK_V2).verifyTableOnBuild(false).append(rows());

        StreamGraph graph = env.getStreamGraph(false);
        StreamNode writer = node(graph, "orders-delta-sink");
        StreamNode sealer = node(graph, "orders-delta-sink: orders-delta-sealer");
        StreamNode committer = node(graph, "Sink Committer: orders-delta-sink");
        assertThat(writer.getParallelism()).as("writers run at the input's parallelism").isEqualTo(3);
        assertThat(sealer.getParallelism()).isEqualTo(1);
        JobVertex sealerVertex = vertex(graph.getJobGraph(), "DeltaSealer");
        assertThat(sealerVertex.getMaxParallelism()).as("one sealer holds the appId, whatever the rescale").isEqualTo(1);
        assertThat(writer.getOutEdges()).singleElement().satisfies(e -> assertThat(e.getTargetId()).isEqualTo(sealer.getId()));
        assertThat(sealer.getOutEdges())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getTargetId()).isEqualTo(committer.getId());
                    assertThat(e.getPartitioner().toString()).as("all transactions to committer subtask 0").isEqualTo("GLOBAL");
                });
        assertNothingCreated();
    }

    @Test
    void configureAppliesTheTypedOptionsInOneCall() {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.set(DeltaSinkOptions.TABLE_PATH, table);
        conf.set(DeltaSinkOptions.UID_PREFIX, "configured");
        conf.set(DeltaSinkOptions.PARTITION_COLUMNS, List.of("event_date"));
        conf.set(DeltaSinkOptions.WRITER_PARALLELISM, 2);
        conf.set(DeltaSinkOptions.API, DeltaSink.Api.SINK_V2);

        DeltaSink.forRowType(TestRows.ROW_TYPE).configure(conf).append(rows());

        StreamGraph graph = env.getStreamGraph(false);
        assertThat(node(graph, "configured-delta-sink").getParallelism()).isEqualTo(2);
        assertThat(new DeltaTableReader(table).snapshot().getPartitionColumnNames()).containsExactly("event_date");
    }

    @Test
    void aConfiguredInvalidValueIsRefusedNamingTheOption() {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.set(DeltaSinkOptions.BATCH_ROWS, 0);
        assertInvalidOption(valid().configure(conf), rows(), "batchRows");
    }

}
