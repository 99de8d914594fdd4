package io.exactlyonce.job.progress;

import java.util.Objects;
import java.util.Optional;

/**
 * The split key under which the job records a Kafka partition's position in its Delta tables:
 * {@code kafka/<topic>/<partition>/<topicId>}. Topic names cannot contain '/', so the key parses
 * back unambiguously. The topic id makes a deleted and recreated topic (same name, new id) visible:
 * its partitions get new keys, and the positions of the old topic are never applied to the new one.
 */
public final class KafkaProgressKey {

    private static final String PREFIX = "kafka/";

    public final String topic;
    public final int partition;
    public final String topicId;

    public KafkaProgressKey(String topic, int partition, String topicId) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.topicId = Objects.requireNonNull(topicId, "topicId");
    }

    public String key() {
        return PREFIX + topic + "/" + partition + "/" + topicId;
    }

    /** The key's parts, or empty for a key this job did not write. */
    public static Optional<KafkaProgressKey> parse(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = key.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KafkaProgressKey(parts[0], Integer.parseInt(parts[1]), parts[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return key();
    }
}
