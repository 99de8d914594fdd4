package io.exactlyonce.delta.sink;

import io.exactlyonce.delta.sink.testutil.DeltaTableReader;

import org.apache.flink.api.dag.Transformation;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The builder's {@code TwoPhaseCommitSinkFunction} graph (Flink 1.20 only): a parallel writer and
 * one committer, with the documented uids and parallelism, and no table touched when verification
 * is off.
 */
class SinkFunctionBuilderTest extends SinkBuilderFixture {

    @Test
    void theDefaultOnFlink1AddsWriterAndCommitterWithDocumentedUidsAndParallelism() {
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
        DataStreamSink<?> sink = valid().api(DeltaSink.Api.SINK_FUNCTION).writerParallelism(2).append(rows());

        Transformation<?> writer = sink.getTransformation().getInputs().get(0);
        assertThat(writer.getParallelism()).isEqualTo(2);
        assertThat(sink.getTransformation().getParallelism()).isEqualTo(1);
    }

    @Test
    void verifyTableOnBuildFalseDoesNotTouchTheTable() {
        DataStreamSink<?> sink = valid().api(DeltaSink.Api.SINK_FUNCTION).verifyTableOnBuild(false).append(rows());

        assertThat(sink.getTransformation().getUid()).isEqualTo("orders-delta-committer");
        assertNothingCreated();
    }
}
