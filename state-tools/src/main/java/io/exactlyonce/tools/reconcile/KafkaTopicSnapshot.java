package io.exactlyonce.tools.reconcile;

import io.exactlyonce.job.parse.OrderParser;

import org.apache.flink.table.data.GenericRowData;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a Kafka topic holds, classified the way the job classifies it: for every record up to the
 * end offsets at the time of reading, either the order id it carries or that it is malformed. Reads
 * with a plain consumer (no group, no offset commits), so it never disturbs the job, and like the job
 * with {@code isolation.level=read_committed}: records of aborted transactions are not counted, and
 * the end offsets read are the last stable offsets.
 */
public final class KafkaTopicSnapshot {

    /** (partition, offset) → order id, for valid records. */
    public final Map<Long, String> idAt = new HashMap<>();
    /** (partition, offset) of malformed records. */
    public final java.util.Set<Long> malformedAt = new java.util.HashSet<>();
    public long records;

    /** Packs a partition and offset into one key (partitions below 2^16, offsets below 2^47). */
    public static long position(int partition, long offset) {
        return ((long) partition << 47) | offset;
    }

    public static KafkaTopicSnapshot read(
            String bootstrapServers, List<String> topics, Properties extra, int maxRecordBytes, int maxOrderIdBytes) {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // the job reads read_committed: records of aborted transactions are not in the topic for it
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Math.max(1 << 20, 2 * maxRecordBytes)));
        if (topics.size() != 1) {
            throw new IllegalArgumentException("Reconciliation reads one topic; got " + topics);
        }
        KafkaTopicSnapshot snapshot = new KafkaTopicSnapshot();
        OrderParser parser = new OrderParser(maxRecordBytes, maxOrderIdBytes);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> remaining = new HashMap<>(end);
            remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            while (!remaining.isEmpty()) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= end.get(tp)) {
                        continue;
                    }
                    snapshot.records++;
                    GenericRowData row = parser.parse(r.value(), r.topic(), r.partition(), r.offset(), r.timestamp());
                    long at = position(r.partition(), r.offset());
                    if (row == null) {
                        snapshot.malformedAt.add(at);
                    } else {
                        snapshot.idAt.put(at, row.getString(0).toString());
                    }
                }
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        return snapshot;
    }
}
