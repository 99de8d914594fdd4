package io.exactlyonce.job.local;

import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.apache.flink.streaming.api.graph.StreamNode;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a checkpoint must look like to be a checkpoint of the job graph that the options produce:
 * the operator ids of the graph (with the max parallelism of their vertex, where one is set) and the
 * ids of its Delta committers (uids {@code <uid-prefix>-…-delta-committer}, or the Sink V2 sealers
 * {@code …-delta-sealer} that hold the same transactions). Operator ids come from a
 * uid through Flink's own hasher, so they are the ids a checkpoint of this graph carries; the JobID
 * (a new one per run) plays no part.
 *
 * <p>The rule ({@link #match}), mirroring what Flink checks when it restores without
 * {@code allowNonRestoredState}:
 * <ul>
 *   <li>a checkpoint that does not hold every committer id of this graph is {@link Kind#OTHER_JOB}:
 *       another {@code --uid-prefix}, or another program, sharing the checkpoint directory;</li>
 *   <li>one that holds them, but also state of an operator this graph does not have, or state of an
 *       operator whose max parallelism this graph fixes to another value, is {@link Kind#INCOMPATIBLE}:
 *       this job's, but not restorable by this graph;</li>
 *   <li>otherwise it is {@link Kind#THIS_JOB}.</li>
 * </ul>
 */
final class JobShape {

    /** How a checkpoint relates to this job. */
    enum Kind {
        THIS_JOB,
        OTHER_JOB,
        INCOMPATIBLE
    }

    /** The verdict on one checkpoint, with the reason in words. */
    static final class Match {
        final Kind kind;
        final String reason;

        Match(Kind kind, String reason) {
            this.kind = kind;
            this.reason = reason;
        }
    }

    /**
     * The uid endings of the operators that hold a sink's transactions and appId: the committer of
     * the SinkFunction adapter, the sealer of the Sink V2 adapter.
     */
    private static final List<String> COMMITTER_SUFFIXES = List.of("-delta-committer", "-delta-sealer");

    private final String uidPrefix;
    /** Operator id → max parallelism of its vertex (-1 when the graph leaves it to Flink). */
    private final Map<OperatorID, Integer> maxParallelism;
    /** Committer operator id → its uid. */
    private final Map<OperatorID, String> committers;

    private JobShape(String uidPrefix, Map<OperatorID, Integer> maxParallelism, Map<OperatorID, String> committers) {
        this.uidPrefix = uidPrefix;
        this.maxParallelism = maxParallelism;
        this.committers = committers;
    }

    /**
     * The shape of {@code graph}, whose committers carry uids starting with {@code uidPrefix}. The
     * graph is only read; build it from an environment used for nothing else.
     */
    static JobShape of(StreamGraph graph, String uidPrefix) {
        Map<Integer, byte[]> hashes = new StreamGraphHasherV2().traverseStreamGraphAndGenerateHashes(graph);
        Map<OperatorID, String> committers = new HashMap<>();
        for (StreamNode node : graph.getStreamNodes()) {
            String uid = node.getTransformationUID();
            if (uid != null && uid.startsWith(uidPrefix + "-") && COMMITTER_SUFFIXES.stream().anyMatch(uid::endsWith)) {
                committers.put(new OperatorID(hashes.get(node.getId())), uid);
            }
        }
        if (committers.isEmpty()) {
            throw new IllegalStateException(
                    "The job graph has no operator with uid '" + uidPrefix + "-…" + COMMITTER_SUFFIXES + "'");
        }
        JobGraph jobGraph = graph.getJobGraph();
        Map<OperatorID, Integer> maxParallelism = new HashMap<>();
        for (JobVertex vertex : jobGraph.getVertices()) {
            for (OperatorIDPair ids : vertex.getOperatorIDs()) {
                maxParallelism.put(ids.getGeneratedOperatorID(), vertex.getMaxParallelism());
                ids.getUserDefinedOperatorID().ifPresent(id -> maxParallelism.put(id, vertex.getMaxParallelism()));
            }
        }
        if (!maxParallelism.keySet().containsAll(committers.keySet())) {
            throw new IllegalStateException("The committer ids computed from their uids are not in the job graph");
        }
        return new JobShape(uidPrefix, maxParallelism, committers);
    }

    /** The uid prefix whose committers this shape looks for. */
    String uidPrefix() {
        return uidPrefix;
    }

    /** The operator ids of this graph with the max parallelism of their vertex (-1: left to Flink). */
    Map<OperatorID, Integer> operators() {
        return Collections.unmodifiableMap(maxParallelism);
    }

    /** The committer operator ids of this graph with their uids. */
    Map<OperatorID, String> committers() {
        return Collections.unmodifiableMap(committers);
    }

    /** Whether the checkpoint {@code metadata} belongs to this job and can be restored by its graph. */
    Match match(CheckpointMetadata metadata) {
        Set<OperatorID> present = new HashSet<>();
        for (OperatorState state : metadata.getOperatorStates()) {
            present.add(state.getOperatorID());
        }
        Set<String> missing = new TreeSet<>();
        committers.forEach((id, uid) -> {
            if (!present.contains(id)) {
                missing.add(uid);
            }
        });
        if (!missing.isEmpty()) {
            return new Match(Kind.OTHER_JOB, "it holds no state of operator(s) " + missing
                    + " (another --uid-prefix or another program)");
        }
        for (OperatorState state : metadata.getOperatorStates()) {
            if (!hasState(state)) {
                continue;
            }
            Integer max = maxParallelism.get(state.getOperatorID());
            if (max == null) {
                return new Match(Kind.INCOMPATIBLE, "operator " + state.getOperatorID()
                        + " holds state but is not in this job's graph (the graph changed: restore it by hand"
                        + " with '--restore-from' after checking which operator that was)");
            }
            if (max > 0 && max != state.getMaxParallelism()) {
                return new Match(Kind.INCOMPATIBLE, "operator " + state.getOperatorID() + " has max parallelism "
                        + state.getMaxParallelism() + " in the checkpoint and " + max + " in this job's graph");
            }
        }
        return new Match(Kind.THIS_JOB, "it holds the state of this job's committers "
                + new TreeSet<>(committers.values()) + " and no state this job's graph cannot restore");
    }

    /** Flink's own test: an operator with coordinator state or any non-empty subtask state. */
    private static boolean hasState(OperatorState state) {
        if (state.getCoordinatorState() != null) {
            return true;
        }
        for (OperatorSubtaskState subtask : state.getStates()) {
            if (subtask.hasState()) {
                return true;
            }
        }
        return false;
    }
}
