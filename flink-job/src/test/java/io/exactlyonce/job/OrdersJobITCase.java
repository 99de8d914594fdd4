package io.exactlyonce.job;

import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.deploy.kit.FailOnceMapper;
import io.exactlyonce.deploy.kit.OrderGenerator;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.exactlyonce.delta.sink.testutil.KeySetAssert;
import static io.exactlyonce.job.JobRuns.awaitRows;
import static io.exactlyonce.job.JobRuns.awaitTermination;
import static io.exactlyonce.job.JobRuns.latestCheckpoint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end MiniCluster tests of the job against a real in-process Kafka broker: duplicates and
 * malformed input, an injected failure, every kind of bad record, and the metrics table.
 */
class OrdersJobITCase {

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

    @BeforeEach
    void rearm() {
        FailOnceMapper.rearm();
    }

    @Test
    void duplicatesAndMalformedInputLandExactlyOnce() throws Exception {
        Run run = produceAndRun("e2e", 6_000, 0.10, 0.01, -1);
        run.assertExactlyOnce();
        assertThat(run.produced.duplicates).as("the input had duplicates").isGreaterThan(300);
        assertThat(run.produced.malformed).as("the input had malformed records").hasSizeGreaterThan(20);
    }

    @Test
    void injectedFailureMidStreamKeepsExactlyOnce() throws Exception {
        Run run = produceAndRun("failure", 8_000, 0.10, 0.01, 2_500);
        assertThat(FailOnceMapper.hasFailed()).as("the failure was injected").isTrue();
        run.assertExactlyOnce();
    }

    @Test
    void everyKindOfBadRecordIsADeadLetterWithItsReason() throws Exception {
        Run run = produceAndRun("bad", 1_000, 0.0, 0.2, -1);
        Map<OrderGenerator.Malformed, Long> expectedKinds =
                run.produced.malformed.stream().collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        assertThat(expectedKinds.keySet()).as("the input has every kind").hasSize(OrderGenerator.Malformed.values().length);
        List<String> errors = new DeltaTableReader(run.config.deadLetterPath()).column("error").stream()
                .map(String::valueOf).collect(Collectors.toList());
        Map<String, String> reasonOfKind = new HashMap<>();
        reasonOfKind.put("INVALID_JSON", "malformed JSON");
        reasonOfKind.put("NOT_AN_OBJECT", "not a JSON object");
        reasonOfKind.put("MISSING_ORDER_ID", "missing order_id");
        reasonOfKind.put("EMPTY_ORDER_ID", "empty order_id");
        reasonOfKind.put("ORDER_ID_NOT_A_STRING", "order_id must be a string");
        reasonOfKind.put("AMOUNT_NOT_A_NUMBER", "amount is not a decimal");
        reasonOfKind.put("AMOUNT_TOO_PRECISE", "amount has more than 2 decimals");
        reasonOfKind.put("BAD_CURRENCY", "currency must be 3 upper-case letters");
        reasonOfKind.put("BAD_EVENT_TIME", "event_time is not an ISO-8601 instant");
        reasonOfKind.put("MISSING_EVENT_TIME", "missing event_time");
        reasonOfKind.put("OVERSIZED", "exceeds max-record-bytes");
        reasonOfKind.put("TOMBSTONE", "null value (tombstone)");
        for (Map.Entry<OrderGenerator.Malformed, Long> kind : expectedKinds.entrySet()) {
            String reason = reasonOfKind.get(kind.getKey().name());
            assertThat(errors.stream().filter(e -> e.contains(reason)).count())
                    .as("dead letters for %s ('%s')", kind.getKey(), reason)
                    .isEqualTo(kind.getValue());
        }
        run.assertExactlyOnce();
    }

    @Test
    void withoutDedupEveryValidRecordLandsOnceAndIsCounted() throws Exception {
        String topic = "orders-no-dedup";
        kafka.createTopic(topic, 3);
        OrderGenerator.Produced produced =
                new OrderGenerator(7, 0.10, 0.01, 10_000).produce(kafka.bootstrapServers(), topic, 3, 3_000, "nd-");
        Map<String, String> options = new HashMap<>(options(topic));
        options.put("dedup", "false");
        options.put("delivery-guarantee", "at-least-once");
        JobConfig config = JobConfig.fromMap(options);
        submit(config, null, "orders-no-dedup").getJobExecutionResult().get();

        List<Map<String, Object>> orders = new DeltaTableReader(config.tablePath()).rows();
        java.util.Set<String> positions = new java.util.HashSet<>();
        orders.forEach(o -> positions.add(o.get("_kafka_partition") + "@" + o.get("_kafka_offset")));
        assertThat(positions).as("every valid record once, by its Kafka position").hasSize(orders.size());
        assertThat(orders).as("duplicates are written too").hasSize(produced.distinctIds.size() + (int) produced.duplicates);
        assertThat(orders.stream().map(o -> (String) o.get("order_id")).collect(Collectors.toSet()))
                .isEqualTo(produced.distinctIds);
        List<Map<String, Object>> metrics = new DeltaTableReader(config.metricsPath()).rows();
        assertThat(metrics.stream().mapToLong(m -> (Long) m.get("rows")).sum()).as("rows counted").isEqualTo(orders.size());
        assertThat(metrics.stream().mapToLong(m -> (Long) m.get("duplicates_dropped")).sum()).isZero();
        assertThat(new DeltaTableReader(config.deadLetterPath()).rows()).hasSize(produced.malformed.size());
    }

    @Test
    void metricsTableSumsMatchTheDataTable() throws Exception {
        Run run = produceAndRun("metrics", 5_000, 0.10, 0.01, 1_500);
        run.assertExactlyOnce();
        List<Map<String, Object>> metrics = new DeltaTableReader(run.config.metricsPath()).rows();
        List<Map<String, Object>> orders = new DeltaTableReader(run.config.tablePath()).rows();
        long rows = metrics.stream().mapToLong(m -> (Long) m.get("rows")).sum();
        long deadLetters = metrics.stream().mapToLong(m -> (Long) m.get("dead_letters")).sum();
        long duplicates = metrics.stream().mapToLong(m -> (Long) m.get("duplicates_dropped")).sum();
        BigDecimal amount = metrics.stream().map(m -> (BigDecimal) m.get("amount_sum")).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal tableAmount = orders.stream().map(o -> (BigDecimal) o.get("amount"))
                .filter(a -> a != null).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(rows).isEqualTo(orders.size());
        assertThat(amount).isEqualByComparingTo(tableAmount);
        assertThat(deadLetters).isEqualTo(run.produced.malformed.size());
        assertThat(duplicates).isEqualTo(run.produced.duplicates);
        List<Long> checkpointIds = metrics.stream().map(m -> (Long) m.get("checkpoint_id")).collect(Collectors.toList());
        assertThat(checkpointIds).as("one row per checkpoint").doesNotHaveDuplicates();
        long minEvent = orders.stream().mapToLong(o -> (Long) o.get("event_time")).min().orElseThrow();
        long maxEvent = orders.stream().mapToLong(o -> (Long) o.get("event_time")).max().orElseThrow();
        assertThat(metrics.stream().mapToLong(m -> (Long) m.get("min_event_time")).min().orElseThrow()).isEqualTo(minEvent);
        assertThat(metrics.stream().mapToLong(m -> (Long) m.get("max_event_time")).max().orElseThrow()).isEqualTo(maxEvent);
    }

    @Test
    void restartFromARetainedCheckpointKeepsDedupStateAndOffsets() throws Exception {
        String topic = "orders-restart";
        kafka.createTopic(topic, 3);
        OrderGenerator generator = new OrderGenerator(7, 0.05, 0.01, 10_000);
        OrderGenerator.Produced first = generator.produce(kafka.bootstrapServers(), topic, 3, 3_000, "r-");
        JobConfig config = config(topic).with("bounded", "false");

        JobClient firstRun = submit(config, null, "restart-1");
        awaitRows(config.tablePath(), first.distinctIds.size());
        Thread.sleep(1_000); // let a few more (empty) checkpoints complete
        firstRun.cancel().get();
        awaitTermination(firstRun);
        Path checkpoint = latestCheckpoint(tmp.resolve("checkpoints").resolve(firstRun.getJobID().toString()));

        // the second batch repeats every id of the first: dedup state must survive the restart
        OrderGenerator.Produced second = generator.produce(kafka.bootstrapServers(), topic, 3, 4_000, "r-");
        JobClient secondRun = submit(config, checkpoint.toUri().toString(), "restart-2");
        awaitRows(config.tablePath(), second.distinctIds.size());
        Thread.sleep(1_000);
        secondRun.cancel().get();
        awaitTermination(secondRun);

        OrderGenerator.Produced all = new OrderGenerator.Produced();
        all.distinctIds.addAll(second.distinctIds);
        all.malformed.addAll(first.malformed);
        all.malformed.addAll(second.malformed);
        new Run(config, all).assertExactlyOnce();
    }

    // ------------------------------------------------------------------------------------------

    private JobConfig config(String topic) {
        return JobConfig.fromMap(options(topic));
    }

    private Map<String, String> options(String topic) {
        return Map.of(
                "bootstrap-servers", kafka.bootstrapServers(),
                "topics", topic,
                "table-path", tmp.resolve("orders").toUri().toString(),
                "checkpoint-dir", tmp.resolve("checkpoints").toUri().toString(),
                "checkpoint-interval-ms", "300",
                "bounded", "true",
                "starting-offsets", "earliest",
                "state-backend", "hashmap",
                "max-record-bytes", "10000");
    }

    private static JobClient submit(JobConfig config, String restoreFrom, String name) throws Exception {
        return submit(config, restoreFrom, name, -1);
    }

    /** Submits the job; with {@code failAfter >= 0} a {@link FailOnceMapper} after the source. */
    private static JobClient submit(JobConfig config, String restoreFrom, String name, long failAfter)
            throws Exception {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        if (restoreFrom != null) {
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        OrdersJob.configure(env, config);
        env.setParallelism(2);
        if (failAfter >= 0) {
            OrdersPipeline.buildWithMapAfterSource(env, config, new FailOnceMapper<>(failAfter), sink -> {});
        } else {
            OrdersPipeline.build(env, config);
        }
        return env.executeAsync(name);
    }

    /** One produced topic and the bounded job run over it. */
    final class Run {
        final JobConfig config;
        final OrderGenerator.Produced produced;

        Run(JobConfig config, OrderGenerator.Produced produced) {
            this.config = config;
            this.produced = produced;
        }

        void assertExactlyOnce() {
            List<Map<String, Object>> rows = new DeltaTableReader(config.tablePath()).rows();
            List<String> ids = new ArrayList<>();
            java.util.Set<String> lineage = new java.util.HashSet<>();
            for (Map<String, Object> row : rows) {
                ids.add((String) row.get("order_id"));
                String at = row.get("_kafka_partition") + "@" + row.get("_kafka_offset");
                assertThat(lineage.add(at)).as("(partition, offset) %s at most once", at).isTrue();
            }
            KeySetAssert.assertExactlyOnce(ids, produced.distinctIds);
            assertThat(new DeltaTableReader(config.deadLetterPath()).rows())
                    .as("dead letters").hasSize(produced.malformed.size());
        }
    }

    Run produceAndRun(String name, long distinct, double duplicates, double malformed, long failAfter)
            throws Exception {
        String topic = "orders-" + name;
        kafka.createTopic(topic, 3);
        OrderGenerator.Produced produced =
                new OrderGenerator(42, duplicates, malformed, 10_000)
                        .produce(kafka.bootstrapServers(), topic, 3, distinct, name + "-");
        JobConfig config = config(topic);
        submit(config, null, "orders-" + name, failAfter).getJobExecutionResult().get();
        return new Run(config, produced);
    }
}
