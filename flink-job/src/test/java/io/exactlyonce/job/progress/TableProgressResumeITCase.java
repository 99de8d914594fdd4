package io.exactlyonce.job.progress;

import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.delta.sink.core.TableProgress;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.KeySetAssert;
import io.exactlyonce.deploy.kit.OrderGenerator;
import io.exactlyonce.job.EmbeddedKafkaExtension;
import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job started again without any Flink state (its checkpoints lost) resumes from the positions its
 * Delta tables recorded with their data, and writes nothing twice: against a real broker, on a
 * MiniCluster, with the job's default {@code --starting-offsets table}.
 */
class TableProgressResumeITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir Path tmp;

    @Test
    void aRunWithoutStateContinuesWhereTheTablesStopped() throws Exception {
        String topic = "resume-after-state-loss";
        kafka.createTopic(topic, 3);
        OrderGenerator.Produced first =
                new OrderGenerator(1, 0.1, 0.05, 10_000).produce(kafka.bootstrapServers(), topic, 3, 1_500, "a-");
        run(config(topic, "checkpoints-1"));

        Map<String, Long> recorded = recordedPositions(tableOf("orders"), "orders-orders");
        assertThat(recorded).as("one position per partition, the end of what was read").isEqualTo(endOffsets(topic));
        assertThat(recordedPositions(tableOf("orders_dead_letters"), "orders-dead-letters")).isEqualTo(recorded);
        assertThat(recordedPositions(tableOf("orders_metrics"), "orders-metrics-table")).isEqualTo(recorded);

        OrderGenerator.Produced second =
                new OrderGenerator(2, 0.1, 0.05, 10_000).produce(kafka.bootstrapServers(), topic, 3, 1_500, "b-");
        resend(topic, first.distinctIds.stream().sorted().limit(300).collect(Collectors.toList()));
        run(config(topic, "checkpoints-2")); // the same job, all Flink state gone
        assertThat(recordedPositions(tableOf("orders"), "orders-orders"))
                .as("the tables' positions moved to the end of what was produced since")
                .isEqualTo(endOffsets(topic));

        Set<String> expected = new HashSet<>(first.distinctIds);
        expected.addAll(second.distinctIds);
        assertOrdersExactly(expected);
        assertThat(new DeltaTableReader(tableOf("orders_dead_letters")).rows())
                .as("dead letters, each once")
                .hasSize(first.malformed.size() + second.malformed.size());
        assertMetricsMatchTheTables();
    }

    /**
     * The job died between the tables' commits of one checkpoint: the orders table is one commit
     * behind the dead-letter table. A start without state re-reads from the orders table's position;
     * the orders table gets its missing rows, the dead-letter table drops what it already holds.
     */
    @Test
    void aTableBehindTheOthersGetsItsMissingRowsAndTheOthersWriteNothingTwice() throws Exception {
        String topic = "resume-table-behind";
        kafka.createTopic(topic, 3);
        OrderGenerator.Produced produced =
                new OrderGenerator(3, 0.1, 0.2, 10_000).produce(kafka.bootstrapServers(), topic, 3, 0, 1_500, "c-");
        run(config(topic, "checkpoints-1"));
        OrderGenerator.Produced more =
                new OrderGenerator(4, 0.1, 0.2, 10_000).produce(kafka.bootstrapServers(), topic, 3, 1_500, 3_000, "c-");
        produced.distinctIds.addAll(more.distinctIds);
        produced.malformed.addAll(more.malformed);
        run(config(topic, "checkpoints-2")); // a second run, so the last commit is not the only one
        long deadLetterRows = new DeltaTableReader(tableOf("orders_dead_letters")).rows().size();
        assertThat(deadLetterRows).isEqualTo(produced.malformed.size());

        Map<String, Long> before = recordedPositions(tableOf("orders"), "orders-orders");
        long lost = dropLastDataCommit(tableOf("orders"));
        Map<String, Long> behind = recordedPositions(tableOf("orders"), "orders-orders");
        assertThat(behind).as("the orders table lost its last commit and its position with it").isNotEqualTo(before);
        assertThat(new DeltaTableReader(tableOf("orders")).rows()).hasSizeLessThan(produced.distinctIds.size());
        assertThat(lost).isPositive();

        run(config(topic, "checkpoints-3"));

        assertOrdersExactly(produced.distinctIds);
        assertThat(new DeltaTableReader(tableOf("orders_dead_letters")).rows())
                .as("no dead letter written twice")
                .hasSize(produced.malformed.size());
        assertThat(recordedPositions(tableOf("orders"), "orders-orders")).isEqualTo(before);
        assertMetricsMatchTheTables();
    }

    /** The metrics table counts every row and dead letter once, re-read records included. */
    private void assertMetricsMatchTheTables() {
        long rows = 0;
        long deadLetters = 0;
        for (Map<String, Object> metric : new DeltaTableReader(tableOf("orders_metrics")).rows()) {
            rows += (Long) metric.get("rows");
            deadLetters += (Long) metric.get("dead_letters");
        }
        assertThat(rows).as("metrics rows").isEqualTo(new DeltaTableReader(tableOf("orders")).rows().size());
        assertThat(deadLetters).as("metrics dead letters")
                .isEqualTo(new DeltaTableReader(tableOf("orders_dead_letters")).rows().size());
    }

    /**
     * The metrics table is the one behind: the re-read rows the orders table holds are counted once
     * more (they were never counted), not mistaken for duplicates of themselves.
     */
    @Test
    void aMetricsTableBehindTheOthersCountsEachRowOnce() throws Exception {
        String topic = "resume-metrics-behind";
        kafka.createTopic(topic, 3);
        new OrderGenerator(7, 0.1, 0.1, 10_000).produce(kafka.bootstrapServers(), topic, 3, 0, 1_500, "m-");
        run(config(topic, "checkpoints-1"));
        new OrderGenerator(8, 0.1, 0.1, 10_000).produce(kafka.bootstrapServers(), topic, 3, 1_500, 3_000, "m-");
        run(config(topic, "checkpoints-2"));
        dropLastDataCommit(tableOf("orders_metrics"));

        run(config(topic, "checkpoints-3"));

        assertMetricsMatchTheTables();
        long duplicatesCounted = new DeltaTableReader(tableOf("orders_metrics")).rows().stream()
                .mapToLong(m -> (Long) m.get("duplicates_dropped")).sum();
        long valid = new DeltaTableReader(tableOf("orders")).rows().size();
        assertThat(duplicatesCounted).as("duplicates counted").isLessThan(valid);
    }

    /**
     * The topic was deleted and recreated while the job was down (same name, new topic id): a start
     * from the tables fails loudly instead of applying the old topic's positions to the new one; the
     * option that accepts the loss starts the new topic at its earliest offset.
     */
    @Test
    void aRecreatedTopicIsDetectedOnAStartFromTheTables() throws Exception {
        String topic = "resume-recreated";
        kafka.createTopic(topic, 3);
        new OrderGenerator(5, 0.0, 0.0, 10_000).produce(kafka.bootstrapServers(), topic, 3, 0, 600, "old-");
        run(config(topic, "checkpoints-1"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get();
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.listTopics().names().get().contains(topic) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
        }
        kafka.createTopic(topic, 3);
        OrderGenerator.Produced fresh =
                new OrderGenerator(6, 0.0, 0.0, 10_000).produce(kafka.bootstrapServers(), topic, 3, 0, 300, "new-");

        assertThatThrownBy(() -> run(config(topic, "checkpoints-2")))
                .hasStackTraceContaining("deleted and recreated")
                .hasStackTraceContaining("'--accept-lost-kafka-records true'");
        assertThat(new DeltaTableReader(tableOf("orders")).rows()).as("nothing written").hasSize(600);

        run(config(topic, "checkpoints-3").with("accept-lost-kafka-records", "true"));
        List<String> ids = new DeltaTableReader(tableOf("orders")).rows().stream()
                .map(r -> (String) r.get("order_id"))
                .filter(id -> id.startsWith("new-"))
                .collect(Collectors.toList());
        KeySetAssert.assertExactlyOnce(ids, fresh.distinctIds);
    }

    // ------------------------------------------------------------------------------------------

    private void assertOrdersExactly(Set<String> expected) {
        List<Map<String, Object>> rows = new DeltaTableReader(tableOf("orders")).rows();
        List<String> ids = new ArrayList<>();
        Set<String> lineage = new HashSet<>();
        for (Map<String, Object> row : rows) {
            ids.add((String) row.get("order_id"));
            String at = row.get("_kafka_partition") + "@" + row.get("_kafka_offset");
            assertThat(lineage.add(at)).as("(partition, offset) %s at most once", at).isTrue();
        }
        KeySetAssert.assertExactlyOnce(ids, expected);
    }

    /** Sends valid orders again with ids the table already holds: duplicates after the restart. */
    private static void resend(String topic, List<String> ids) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String id : ids) {
                String json = "{\"order_id\":\"" + id + "\",\"amount\":1.00,\"currency\":\"EUR\","
                        + "\"event_time\":\"2024-03-01T10:15:30Z\"}";
                producer.send(new ProducerRecord<>(topic, json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Deletes the newest commit of the table that added files, as if it never happened. */
    private static long dropLastDataCommit(String table) throws Exception {
        Path log = Paths.get(URI.create(table)).resolve("_delta_log");
        List<Path> commits;
        try (Stream<Path> files = Files.list(log)) {
            commits = files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        Path last = commits.get(commits.size() - 1);
        assertThat(Files.readString(last)).as("the last commit adds files").contains("\"add\"");
        long version = Long.parseLong(last.getFileName().toString().substring(0, 20));
        assertThat(Files.exists(log.resolve(String.format("%020d.checkpoint.parquet", version)))).isFalse();
        long adds = Files.readAllLines(last).stream().filter(l -> l.startsWith("{\"add\"")).count();
        Files.delete(last);
        try (Stream<Path> files = Files.list(log)) {
            for (Path p : files.collect(Collectors.toList())) {
                String name = p.getFileName().toString();
                if (name.startsWith(String.format("%020d.", version)) || name.startsWith(String.format(".%020d.", version))) {
                    Files.delete(p);
                }
            }
        }
        return adds;
    }

    private Map<String, Long> recordedPositions(String table, String progressId) {
        SourceProgress progress = TableProgress.read(new DeltaTableReader(table).snapshot(), progressId).orElseThrow();
        Map<String, Long> byPartition = new HashMap<>();
        progress.positions().forEach((key, position) -> KafkaProgressKey.parse(key)
                .ifPresent(k -> byPartition.put(k.topic + "-" + k.partition, position)));
        return byPartition;
    }

    private static Map<String, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<String, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp.toString(), info.offset()));
            return ends;
        }
    }

    private String tableOf(String name) {
        return tmp.resolve(name).toUri().toString();
    }

    private JobConfig config(String topic, String checkpoints) {
        return JobConfig.fromMap(Map.of(
                "bootstrap-servers", kafka.bootstrapServers(),
                "topics", topic,
                "table-path", tableOf("orders"),
                "checkpoint-dir", tmp.resolve(checkpoints).toUri().toString(),
                "checkpoint-interval-ms", "300",
                "bounded", "true",
                "state-backend", "hashmap",
                "max-record-bytes", "10000"));
    }

    private static void run(JobConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OrdersJob.configure(env, config);
        env.setParallelism(2);
        OrdersPipeline.build(env, config);
        env.execute("orders " + config.topics());
    }
}
