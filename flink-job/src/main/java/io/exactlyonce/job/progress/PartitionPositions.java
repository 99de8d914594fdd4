package io.exactlyonce.job.progress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The next offset to read of every Kafka partition a parse subtask has seen a record of since the
 * last checkpoint barrier: what the job records in its tables as the position of that checkpoint.
 *
 * <p>Every record counts — rows, dead letters and records later dropped as duplicates — because the
 * tracker sits right after the source, before anything can drop one. Per record it costs an array
 * store (the last topic is cached, so a single-topic job does no map lookup). Positions only move
 * forward; the sink keeps the largest per key anyway.
 */
public final class PartitionPositions {

    private final Map<String, long[]> nextOffsets = new HashMap<>();
    private final Map<String, String> topicIds;
    private String lastTopic;
    private long[] lastOffsets;
    private boolean dirty;

    /** @param topicIds topic name to Kafka topic id, for the progress keys */
    public PartitionPositions(Map<String, String> topicIds) {
        this.topicIds = topicIds;
    }

    /** Records that {@code offset} of the partition was read. */
    public void seen(String topic, int partition, long offset) {
        long[] offsets;
        if (topic.equals(lastTopic)) {
            offsets = lastOffsets;
        } else {
            offsets = nextOffsets.computeIfAbsent(topic, t -> new long[0]);
            lastTopic = topic;
        }
        if (partition >= offsets.length) {
            long[] grown = new long[Math.max(partition + 1, offsets.length * 2)];
            System.arraycopy(offsets, 0, grown, 0, offsets.length);
            java.util.Arrays.fill(grown, offsets.length, grown.length, -1L);
            offsets = grown;
            nextOffsets.put(topic, offsets);
        }
        lastOffsets = offsets;
        if (offset + 1 > offsets[partition]) {
            offsets[partition] = offset + 1;
            dirty = true;
        }
    }

    /** The positions seen since the last call, as progress keys; then starts over. */
    public List<Map.Entry<String, Long>> drain() {
        List<Map.Entry<String, Long>> result = new ArrayList<>();
        if (!dirty) {
            return result;
        }
        for (Map.Entry<String, long[]> e : nextOffsets.entrySet()) {
            String topicId = topicIds.get(e.getKey());
            if (topicId == null) {
                throw new IllegalStateException(
                        "Read a record of topic " + e.getKey() + " whose id was not looked up; known: "
                                + topicIds.keySet());
            }
            long[] offsets = e.getValue();
            for (int p = 0; p < offsets.length; p++) {
                if (offsets[p] >= 0) {
                    result.add(Map.entry(new KafkaProgressKey(e.getKey(), p, topicId).key(), offsets[p]));
                    offsets[p] = -1;
                }
            }
        }
        dirty = false;
        return result;
    }
}
