package io.exactlyonce.tools;

import io.exactlyonce.job.OrdersPipeline;

import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.state.api.OperatorIdentifier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator uids of the orders job under one {@code --uid-prefix}, as {@code OrdersPipeline}
 * and the Delta sink ({@code <sink prefix>-delta-writer}, {@code -delta-committer}) set them, with
 * the operator id Flink derives from each uid (the id a savepoint is keyed by). {@code
 * JobUidsTest} checks this list against the graph the job really builds, so a renamed uid in the
 * job fails the build here rather than silently hiding state in the tools' output.
 */
public final class JobUids {

    /** The sinks' uid suffixes (after the prefix): orders, dead letters, metrics. */
    public static final List<String> SINKS = List.of("orders", "dead-letters", "metrics-table");

    private final String prefix;
    private final Map<OperatorID, String> uidById = new LinkedHashMap<>();

    public JobUids(String prefix) {
        this.prefix = prefix;
        List<String> uids = new ArrayList<>(List.of(
                kafkaSource(), prefix + OrdersPipeline.MAP_AFTER_SOURCE_UID_SUFFIX, prefix + "-parse", dedup(), prefix + "-metrics",
                prefix + "-orders-not-yet-in-table", prefix + "-dead-letters-not-yet-in-table"));
        for (String sink : SINKS) {
            uids.add(writer(sink));
            uids.add(committer(sink));
        }
        for (String uid : uids) {
            uidById.put(operatorId(uid), uid);
        }
    }

    /** The operator id Flink derives from a uid. */
    public static OperatorID operatorId(String uid) {
        return OperatorIdentifier.forUid(uid).getOperatorId();
    }

    public String prefix() {
        return prefix;
    }

    public String kafkaSource() {
        return prefix + "-kafka-source";
    }

    public String dedup() {
        return prefix + "-dedup";
    }

    /** The committer uid of a sink ({@link #SINKS}). */
    public String committer(String sink) {
        return prefix + "-" + sink + "-delta-committer";
    }

    public String writer(String sink) {
        return prefix + "-" + sink + "-delta-writer";
    }

    /** Every known uid by its operator id, in pipeline order. */
    public Map<OperatorID, String> byOperatorId() {
        return Collections.unmodifiableMap(uidById);
    }
}
