package io.exactlyonce.job.progress;

import io.exactlyonce.delta.sink.core.SourceProgress;

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
 * <p>Serializable with the operator; {@link #open()} looks the topic ids up once per task. With no
 * recorded positions every check is a single branch.
 */
public final class PositionFloor implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SourceProgress recorded;
    private final Properties consumerProperties;
    private final List<String> topics;

    private transient Map<String, long[]> floors;
    private transient String lastTopic;
    private transient long[] lastFloors;

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
    }

    /** Whether the table already holds the record at this position. */
    public boolean covers(String topic, int partition, long offset) {
        if (floors.isEmpty()) {
            return false;
        }
        long[] byPartition;
        if (topic.equals(lastTopic)) {
            byPartition = lastFloors;
        } else {
            byPartition = floors.get(topic);
            lastTopic = topic;
            lastFloors = byPartition;
        }
        return byPartition != null && partition < byPartition.length && offset < byPartition[partition];
    }

    /** Whether no position applies (nothing is ever covered). */
    public boolean isEmpty() {
        return floors.isEmpty();
    }
}
