package io.exactlyonce.job.progress;

import io.exactlyonce.delta.sink.core.SourceProgress;

import org.apache.flink.table.data.StringData;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The positions one of the job's tables recorded, as a test "does the table already cover this
 * record?" for the operators that must not write or count a record twice after a start without
 * Flink state (see {@link TableStartingOffsets}). Only positions recorded under the topic's current
 * id apply: a recreated topic's records are never covered by the old topic's positions.
 *
 * <p>Serializable with the operator; {@link #open()} looks the topic ids up once per task. Records
 * of one partition reach an operator in offset order, so once a record at or beyond a partition's
 * floor has passed, that floor is dropped; with none left (or none recorded) every check is a
 * single branch, and a row's topic is never decoded per row.
 */
public final class PositionFloor implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SourceProgress recorded;
    private final Properties consumerProperties;
    private final List<String> topics;

    private transient Map<String, long[]> floors;
    private transient String lastTopic;
    private transient StringData lastTopicData;
    private transient long[] lastFloors;
    /** Partitions whose floor no record has reached yet; at zero every check is a single branch. */
    private transient int unpassed;

    public PositionFloor(SourceProgress recorded, Properties consumerProperties, List<String> topics) {
        this.recorded = recorded;
        this.consumerProperties = consumerProperties;
        this.topics = List.copyOf(topics);
    }

    /** Resolves the recorded positions against the topics' current ids. */
    public void open() {
        floors = new HashMap<>();
        if (recorded.isEmpty()) {
            return;
        }
        Map<String, String> topicIds = TopicIds.of(consumerProperties, topics);
        for (Map.Entry<String, Long> e : recorded.positions().entrySet()) {
            KafkaProgressKey.parse(e.getKey())
                    .filter(k -> k.topicId.equals(topicIds.get(k.topic)))
                    .ifPresent(k -> {
                        long[] byPartition = floors.computeIfAbsent(k.topic, t -> new long[0]);
                        if (k.partition >= byPartition.length) {
                            byPartition = Arrays.copyOf(byPartition, k.partition + 1);
                            floors.put(k.topic, byPartition);
                        }
                        byPartition[k.partition] = e.getValue();
                    });
        }
        for (long[] byPartition : floors.values()) {
            for (long floor : byPartition) {
                if (floor > 0) {
                    unpassed++;
                }
            }
        }
    }

    /** Whether the table already holds the record at this position. */
    public boolean covers(String topic, int partition, long offset) {
        if (unpassed == 0) {
            return false;
        }
        if (!topic.equals(lastTopic)) {
            lastTopic = topic;
            lastTopicData = null;
            lastFloors = floors.get(topic);
        }
        return check(lastFloors, partition, offset);
    }

    /** {@link #covers(String, int, long)} for a row's topic, without decoding it per row. */
    public boolean covers(StringData topic, int partition, long offset) {
        if (unpassed == 0) {
            return false;
        }
        if (!topic.equals(lastTopicData)) {
            lastTopic = topic.toString();
            lastTopicData = StringData.fromString(lastTopic);
            lastFloors = floors.get(lastTopic);
        }
        return check(lastFloors, partition, offset);
    }

    /**
     * Whether the table holds the record at this position, for positions that do not arrive in
     * offset order (a scan of a table): a pure lookup that drops no floor.
     */
    public boolean holds(String topic, int partition, long offset) {
        long[] byPartition = floors.get(topic);
        return byPartition != null && partition < byPartition.length && offset < byPartition[partition];
    }

    private boolean check(long[] byPartition, int partition, long offset) {
        if (byPartition == null || partition >= byPartition.length || byPartition[partition] <= 0) {
            return false;
        }
        if (offset < byPartition[partition]) {
            return true;
        }
        // records of a partition arrive in offset order: this floor is passed for good
        byPartition[partition] = 0;
        unpassed--;
        return false;
    }

    /** Whether nothing (more) can be covered: no position applies, or every floor has been passed. */
    public boolean isEmpty() {
        return unpassed == 0;
    }
}
