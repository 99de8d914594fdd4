package io.exactlyonce.deploy.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Benchmark child for variant (d), this machine's limit for the input: one plain {@link KafkaConsumer}
 * (read_committed, byte-array deserializers as the job's source uses) reads every partition of the
 * topic from the beginning to the end offsets found at start and discards the records (their value
 * lengths are summed so the reads cannot be optimised away). Reports the records read and, per poll
 * that returned records, its time and count. Arguments: {@code <bootstrap-servers> <topic>}.
 */
public final class ConsumerChild {

    private ConsumerChild() {}

    public static void main(String[] args) throws Exception {
        ChildProbe probe = ChildProbe.start();
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ConsumerChild <bootstrap-servers> <topic>");
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long records = 0;
        long bytes = 0;
        List<long[]> polls = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(args[1])) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!reachedEnd(consumer, end)) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    bytes += record.value() == null ? 0 : record.value().length;
                }
                records += batch.count();
                polls.add(new long[] {System.currentTimeMillis(), batch.count()});
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("records", records);
        extra.put("valueBytes", bytes);
        extra.put("polls", polls);
        probe.writeReport(ChildSettings.report(), "FINISHED", extra);
        System.exit(0);
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
