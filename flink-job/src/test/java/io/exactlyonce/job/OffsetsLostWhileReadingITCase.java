package io.exactlyonce.job;

import io.exactlyonce.job.config.JobConfig;
import io.exactlyonce.job.kafka.KafkaRecord;
import io.exactlyonce.job.kafka.KafkaRecordsLostException;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the job's Kafka source reader, reading from a real broker, fails with {@link
 * KafkaRecordsLostException} when records it has not read yet are deleted while it reads (retention
 * overtaking a lagging job) — the consumer must not jump silently to the new log start.
 */
class OffsetsLostWhileReadingITCase {

    private static final int RECORDS = 200;
    private static final int DELETED_BEFORE = 150;

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir Path tmp;

    /** A one-partition topic of {@link #RECORDS} records, one record per batch, so the reader fetches one at a time. */
    private static String topicOfRecords(String topic) throws Exception {
        kafka.createTopic(topic, 1);
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("r" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        return topic;
    }

    @Test
    void recordsDeletedWhileTheReaderLagsFailIt() throws Exception {
        List<Long> offsets = new ArrayList<>();
        Exception failure = readUntilFailure(config(topicOfRecords("lagging"), false), offsets);

        assertThat(offsets).as("read before the deletion, never past the gap").isNotEmpty()
                .allMatch(o -> o < DELETED_BEFORE);
        assertThat(failure).isInstanceOf(KafkaRecordsLostException.class);
        assertThat(failure.getMessage())
                .contains("lagging-0: the job continues at offset " + (offsets.get(offsets.size() - 1) + 1))
                .contains("the partition now starts at " + DELETED_BEFORE)
                .contains("'--accept-lost-kafka-records true'");
    }

    @Test
    void withTheLossAcceptedTheReaderFailsRecoverablySoTheRestoreSkipsTheGap() throws Exception {
        List<Long> offsets = new ArrayList<>();
        Exception failure = readUntilFailure(config(topicOfRecords("lagging-accepted"), true), offsets);

        assertThat(offsets).allMatch(o -> o < DELETED_BEFORE);
        assertThat(failure).isNotInstanceOf(KafkaRecordsLostException.class)
                .hasMessageContaining("restarting from the last checkpoint");
    }

    // ------------------------------------------------------------------------------------------

    private JobConfig config(String topic, boolean acceptLoss) throws Exception {
        Path props = tmp.resolve("consumer.properties");
        Files.write(props, List.of("max.partition.fetch.bytes=1", "fetch.max.bytes=1", "max.poll.records=1"));
        return JobConfig.fromMap(Map.of(
                "bootstrap-servers", kafka.bootstrapServers(),
                "topics", topic,
                "table-path", tmp.resolve("orders").toString(),
                "starting-offsets", "earliest",
                "kafka-properties-file", props.toString(),
                "accept-lost-kafka-records", Boolean.toString(acceptLoss)));
    }

    /**
     * Reads the topic's partition from offset 0, deletes records up to {@link #DELETED_BEFORE}
     * after the first few, and reads on until the reader fails (or 30 s pass).
     */
    private Exception readUntilFailure(JobConfig config, List<Long> offsets) throws Exception {
        TopicPartition partition = new TopicPartition(config.topics().get(0), 0);
        Collecting output = new Collecting(offsets);
        try (SourceReader<KafkaRecord, KafkaPartitionSplit> reader =
                OrdersPipeline.kafkaSource(config, OrdersPipeline.tables(config)).createReader(new Context())) {
            reader.start();
            reader.addSplits(List.of(new KafkaPartitionSplit(partition, 0)));
            long deadline = System.currentTimeMillis() + 30_000;
            boolean deleted = false;
            while (System.currentTimeMillis() < deadline) {
                if (!deleted && offsets.size() >= 3) {
                    deleteBefore(partition, DELETED_BEFORE);
                    deleted = true;
                }
                try {
                    reader.pollNext(output);
                } catch (Exception e) {
                    return e;
                }
                try {
                    reader.isAvailable().get(1, TimeUnit.SECONDS);
                } catch (TimeoutException idle) {
                    // nothing to read right now: poll again until the deadline
                }
            }
        }
        throw new AssertionError("the reader did not fail; it read offsets " + offsets);
    }

    private static void deleteBefore(TopicPartition partition, long offset) throws Exception {
        try (Admin admin = admin()) {
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset))).all().get();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    /** The reader's output: keeps the offsets it is given. */
    private static final class Collecting implements ReaderOutput<KafkaRecord> {
        private final List<Long> offsets;

        Collecting(List<Long> offsets) {
            this.offsets = offsets;
        }

        @Override
        public void collect(KafkaRecord record) {
            offsets.add(record.offset);
        }

        @Override
        public void collect(KafkaRecord record, long timestamp) {
            collect(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<KafkaRecord> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }

    /** A reader context outside a Flink task: subtask 0 of 1, metrics discarded. */
    private static final class Context implements SourceReaderContext {
        @Override
        public SourceReaderMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
        }

        @Override
        public Configuration getConfiguration() {
            return new Configuration();
        }

        @Override
        public String getLocalHostName() {
            return "localhost";
        }

        @Override
        public int getIndexOfSubtask() {
            return 0;
        }

        @Override
        public void sendSplitRequest() {}

        @Override
        public void sendSourceEventToCoordinator(SourceEvent event) {}

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }
}
