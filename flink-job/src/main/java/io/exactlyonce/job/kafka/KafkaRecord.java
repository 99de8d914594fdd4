package io.exactlyonce.job.kafka;

/**
 * One Kafka record as the job reads it: the raw value bytes and its lineage (topic, partition,
 * offset, Kafka timestamp). A Flink POJO (public fields, no-arg constructor), so Flink serializes it
 * with its POJO serializer, never Kryo. With object reuse on, it passes from the source to the
 * chained parser by reference.
 */
public class KafkaRecord {

    public byte[] value;
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;

    public KafkaRecord() {}

    public KafkaRecord(byte[] value, String topic, int partition, long offset, long timestamp) {
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
