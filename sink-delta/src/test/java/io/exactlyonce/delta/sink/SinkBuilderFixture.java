package io.exactlyonce.delta.sink;

import io.exactlyonce.delta.sink.testutil.TestRows;

import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the builder tests of both Flink lines share: a fresh environment at parallelism 3 with
 * checkpointing, a table location that does not exist yet, a valid builder and small inputs.
 */
abstract class SinkBuilderFixture {

    @TempDir Path tmp;
    Path dir;
    String table;
    StreamExecutionEnvironment env;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("table");
        table = dir.toUri().toString();
        env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(3);
        env.enableCheckpointing(1_000);
    }

    DeltaSink.Builder valid() {
        return DeltaSink.forRowType(TestRows.ROW_TYPE).tablePath(table).uidPrefix("orders");
    }

    DataStream<RowData> rows() {
        return env.fromSequence(0, 1)
                .map(TestRows::row)
                .returns(InternalTypeInfo.of(TestRows.ROW_TYPE));
    }

    DataStream<RowData> rows(RowType rowType) {
        return env.fromSequence(0, 1)
                .map(id -> (RowData) GenericRowData.of(id, null))
                .returns(InternalTypeInfo.of(rowType));
    }

    void assertInvalidOption(
            DeltaSink.Builder builder, DataStream<RowData> input, String option) {
        assertThatThrownBy(() -> builder.append(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + option + "'");
        assertNothingCreated();
    }

    void assertNothingCreated() {
        assertThat(Files.exists(dir)).as("no table was created at %s", dir).isFalse();
    }

    List<String> logFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("_delta_log"))) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    static JobVertex vertex(JobGraph graph, String nameContains) {
        for (JobVertex vertex : graph.getVertices()) {
            if (vertex.getName().contains(nameContains)) {
                return vertex;
            }
        }
        throw new AssertionError("no vertex named *" + nameContains + "*");
    }

    static StreamNode node(StreamGraph graph, String uid) {
        Optional<StreamNode> node =
                graph.getStreamNodes().stream()
                        .filter(n -> uid.equals(n.getTransformationUID()))
                        .findFirst();
        assertThat(node).as("stream node with uid %s", uid).isPresent();
        return node.get();
    }}
