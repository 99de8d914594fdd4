package io.exactlyonce.tools.savepoint;

/**
 * One Kafka partition split of the source's reader state (a Flink POJO): topic, partition, the
 * offset the reader resumes from, and the stopping offset of a bounded run ({@link
 * Long#MIN_VALUE}: unbounded).
 */
public class KafkaSplit {

    public String topic;
    public int partition;
    public long offset;
    public long stoppingOffset;

    public KafkaSplit() {}
}
