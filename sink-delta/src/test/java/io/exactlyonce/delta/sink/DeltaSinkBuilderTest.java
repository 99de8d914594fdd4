package io.exactlyonce.delta.sink;

import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.core.TableSchemaMismatchException;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.TestRows;

import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;

import org.apache.flink.api.dag.Transformation;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link DeltaSink.Builder}: every invalid option is refused when the job graph is built,
 * with a message naming the option; an incompatible existing table is refused without being
 * written; a valid sink adds the documented writer and committer operators.
 */
class DeltaSinkBuilderTest {

    @TempDir Path tmp;
    private Path dir;
    private String table;
    private StreamExecutionEnvironment env;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("table");
        table = dir.toUri().toString();
        env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(3);
        env.enableCheckpointing(1_000);
    }

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
    void appendAddsWriterAndCommitterWithDocumentedUidsAndParallelism() {
        DataStreamSink<?> sink = valid().partitionColumns("event_date").append(rows());

        Transformation<?> committer = sink.getTransformation();
        assertThat(committer.getUid()).isEqualTo("orders-delta-committer");
        assertThat(committer.getParallelism()).isEqualTo(1);
        assertThat(committer.getMaxParallelism()).isEqualTo(1);
        assertThat(committer.getInputs()).hasSize(1);
        Transformation<?> writer = committer.getInputs().get(0);
        assertThat(writer.getUid()).isEqualTo("orders-delta-writer");
        assertThat(writer.getParallelism()).as("writer runs at the input's parallelism").isEqualTo(3);

        StreamGraph graph = env.getStreamGraph(false);
        StreamNode writerNode = node(graph, "orders-delta-writer");
        StreamNode committerNode = node(graph, "orders-delta-committer");
        assertThat(committerNode.getParallelism()).isEqualTo(1);
        assertThat(writerNode.getParallelism()).isEqualTo(3);
        assertThat(graph.getStreamNodes().stream().map(StreamNode::getTransformationUID))
                .filteredOn(uid -> uid != null && uid.startsWith("orders-"))
                .containsExactlyInAnyOrder("orders-delta-writer", "orders-delta-committer");
        assertThat(writerNode.getOutEdges())
                .singleElement()
                .satisfies(e -> assertThat(e.getTargetId()).isEqualTo(committerNode.getId()));

        JobGraph jobGraph = graph.getJobGraph();
        List<JobVertex> committerVertices = new ArrayList<>();
        for (JobVertex vertex : jobGraph.getVertices()) {
            if (vertex.getName().contains("DeltaCommitter")) {
                committerVertices.add(vertex);
            }
        }
        assertThat(committerVertices).as("committer vertices").hasSize(1);
        JobVertex committerVertex = committerVertices.get(0);
        assertThat(committerVertex.getName()).doesNotContain("DeltaWriter");
        assertThat(committerVertex.getParallelism()).isEqualTo(1);
        assertThat(committerVertex.getMaxParallelism()).isEqualTo(1);

        // the table was created by the build-time verification
        DeltaTableReader reader = new DeltaTableReader(table);
        assertThat(reader.version()).isZero();
        assertThat(reader.snapshot().getPartitionColumnNames()).containsExactly("event_date");
    }

    @Test
    void writerParallelismOverridesTheInputsButNotTheCommitters() {
        DataStreamSink<?> sink = valid().writerParallelism(2).append(rows());

        Transformation<?> writer = sink.getTransformation().getInputs().get(0);
        assertThat(writer.getParallelism()).isEqualTo(2);
        assertThat(sink.getTransformation().getParallelism()).isEqualTo(1);
    }

    @Test
    void verifyTableOnBuildFalseDoesNotTouchTheTable() {
        DataStreamSink<?> sink = valid().verifyTableOnBuild(false).append(rows());

        assertThat(sink.getTransformation().getUid()).isEqualTo("orders-delta-committer");
        assertNothingCreated();
    }

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

    // ------------------------------------------------------------------------------- helpers

    private DeltaSink.Builder valid() {
        return DeltaSink.forRowType(TestRows.ROW_TYPE).tablePath(table).uidPrefix("orders");
    }

    private DataStream<RowData> rows() {
        return env.fromSequence(0, 1)
                .map(TestRows::row)
                .returns(InternalTypeInfo.of(TestRows.ROW_TYPE));
    }

    private DataStream<RowData> rows(RowType rowType) {
        return env.fromSequence(0, 1)
                .map(id -> (RowData) GenericRowData.of(id, null))
                .returns(InternalTypeInfo.of(rowType));
    }

    private void assertInvalidOption(
            DeltaSink.Builder builder, DataStream<RowData> input, String option) {
        assertThatThrownBy(() -> builder.append(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + option + "'");
        assertNothingCreated();
    }

    private void assertNothingCreated() {
        assertThat(Files.exists(dir)).as("no table was created at %s", dir).isFalse();
    }

    private List<String> logFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("_delta_log"))) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static JobVertex vertex(JobGraph graph, String nameContains) {
        for (JobVertex vertex : graph.getVertices()) {
            if (vertex.getName().contains(nameContains)) {
                return vertex;
            }
        }
        throw new AssertionError("no vertex named *" + nameContains + "*");
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        Optional<StreamNode> node =
                graph.getStreamNodes().stream()
                        .filter(n -> uid.equals(n.getTransformationUID()))
                        .findFirst();
        assertThat(node).as("stream node with uid %s", uid).isPresent();
        return node.get();
    }
}
