package io.exactlyonce.tools.restore;

import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.apache.flink.streaming.api.graph.StreamNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operators of the job graph that a set of job options builds — {@link OrdersJob#configure} and
 * {@link OrdersPipeline#build}, the same code {@code flink run} executes, but never executed — with
 * the operator ids Flink gives them (from their uids, by Flink's own hasher), their uids and the max
 * parallelism of their vertex (-1 when the graph leaves it to Flink, which then takes the savepoint's).
 *
 * <p>Building the graph creates the job's tables when they are missing (the sink verifies its table
 * while the graph is built), so the graph is built against scratch table paths in a temporary
 * directory, deleted afterwards: operator ids depend on the uids only, and the dry run writes
 * nothing where the job's tables live.
 */
final class JobGraphOperators {

    private final Map<OperatorID, Integer> maxParallelism = new HashMap<>();
    private final Map<OperatorID, String> uids = new HashMap<>();

    private JobGraphOperators() {}

    static JobGraphOperators of(JobConfig config) throws IOException {
        Path scratch = Files.createTempDirectory("check-restore-");
        try {
            JobConfig graphConfig = config
                    .with("table-path", scratch.resolve("orders").toUri().toString())
                    .with("dead-letter-path", scratch.resolve("dead-letters").toUri().toString())
                    .with("metrics-path", scratch.resolve("metrics").toUri().toString())
                    .with("starting-offsets", "earliest");
            // an environment that only builds the graph: it is never executed
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(OrdersJob.flinkConfiguration(graphConfig));
            OrdersJob.configure(env, graphConfig);
            OrdersPipeline.build(env, graphConfig);
            return of(env.getStreamGraph());
        } finally {
            deleteRecursively(scratch);
        }
    }

    private static JobGraphOperators of(StreamGraph graph) {
        JobGraphOperators operators = new JobGraphOperators();
        Map<Integer, byte[]> hashes = new StreamGraphHasherV2().traverseStreamGraphAndGenerateHashes(graph);
        for (StreamNode node : graph.getStreamNodes()) {
            operators.uids.put(new OperatorID(hashes.get(node.getId())), node.getTransformationUID());
        }
        JobGraph jobGraph = graph.getJobGraph();
        for (JobVertex vertex : jobGraph.getVertices()) {
            for (OperatorIDPair ids : vertex.getOperatorIDs()) {
                operators.maxParallelism.put(ids.getGeneratedOperatorID(), vertex.getMaxParallelism());
                ids.getUserDefinedOperatorID().ifPresent(id -> operators.maxParallelism.put(id, vertex.getMaxParallelism()));
            }
        }
        return operators;
    }

    boolean contains(OperatorID id) {
        return maxParallelism.containsKey(id);
    }

    /** Max parallelism of the operator's vertex; -1 when Flink chooses (the savepoint's is kept). */
    int maxParallelism(OperatorID id) {
        return maxParallelism.get(id);
    }

    /** The uid of an operator of the graph (null if it has none). */
    String uid(OperatorID id) {
        return uids.get(id);
    }

    Map<OperatorID, String> uids() {
        return Collections.unmodifiableMap(uids);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
