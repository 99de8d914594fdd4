package io.exactlyonce.tools.faults;

import io.exactlyonce.delta.sink.DeltaSink;
import io.exactlyonce.delta.sink.SinkTestHooks;
import io.exactlyonce.delta.sink.read.DeltaTableScanner;
import io.exactlyonce.deploy.kit.FailOnceMapper;
import io.exactlyonce.deploy.kit.KafkaBroker;
import io.exactlyonce.deploy.kit.OrderGenerator;
import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;
import io.exactlyonce.tools.reconcile.KafkaTopicSnapshot;
import io.exactlyonce.tools.reconcile.ReconcileReport;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.exactlyonce.job.JobRuns.awaitRows;
import static io.exactlyonce.job.JobRuns.awaitTermination;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once proof: the whole job (KafkaSource → parse → dedup → Delta sinks) on a
 * MiniCluster against a real Kafka broker, under seeded fault schedules ({@link FaultSchedule}):
 * task failures, committer failures before and after the Delta commit and during recovery,
 * TaskManager loss, a broker restart, a concurrent writer on the same table, and a
 * stop-with-savepoint plus rescale between every segment (the last one draining). After every
 * schedule the tables must match the topic exactly ({@link ReconcileReport#ok()}: no missing, no
 * duplicate, every lineage right, dead letters = malformed records) and the metrics table must
 * match the data.
 *
 * <p>The default test command runs the CI seeds, which together cover every fault kind. The long run
 * is {@code -Dfaults.seeds=50} (seeds 1..50); one seed replays with {@code -Dfaults.seed=S}.
 */
class ExactlyOnceFaultITCase {

    static final long[] CI_SEEDS = {1, 2, 3};
    static final int ORDERS_PER_SEGMENT = 1_200;
    static final int OVERLAP = 300;
    static final int CONCURRENT_ROWS = 400;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir static Path brokerDir;

    static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start(brokerDir.resolve("kafka"));
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    static Stream<Long> seeds() {
        String one = System.getProperty("faults.seed");
        String many = System.getProperty("faults.seeds");
        if (one != null && !one.isBlank()) {
            return Stream.of(Long.parseLong(one));
        }
        if (many != null && !many.isBlank()) {
            return LongStream.rangeClosed(1, Long.parseLong(many)).boxed();
        }
        return LongStream.of(CI_SEEDS).boxed();
    }

    @Test
    void ciSeedsCoverEveryFaultKind() {
        Set<FaultKind> covered = EnumSet.noneOf(FaultKind.class);
        for (long seed : CI_SEEDS) {
            FaultSchedule.of(seed).segments.forEach(s -> covered.add(s.fault));
        }
        assertThat(covered).containsExactlyInAnyOrder(FaultKind.values());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void exactlyOnceUnderFaults(long seed, @TempDir Path tmp, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        FaultSchedule schedule = FaultSchedule.of(seed);
        Outcome outcome = run(schedule, tmp, cluster, builder -> {}, false);
        assertThat(outcome.report.ok())
                .as("%s%n%s%nreplay: %s", schedule, outcome.text, schedule.replayCommand())
                .isTrue();
        assertThat(outcome.metricsMatch).as("metrics table vs data, %s", schedule).isTrue();
        assertThat(outcome.otherRows).as("concurrent writer rows, %s", schedule).isEqualTo(outcome.expectedOtherRows);
    }

    /** The same schedules with the orders table written by the sink's Sink V2 adapter. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void exactlyOnceUnderFaultsOnSinkV2(long seed, @TempDir Path tmp, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        FaultSchedule schedule = FaultSchedule.of(seed);
        Outcome outcome = run(schedule, tmp, cluster, builder -> builder.api(DeltaSink.Api.SINK_V2), false);
        assertThat(outcome.report.ok())
                .as("%s%n%s%nreplay: %s", schedule, outcome.text, schedule.replayCommand())
                .isTrue();
        assertThat(outcome.metricsMatch).as("metrics table vs data, %s", schedule).isTrue();
    }

    @ParameterizedTest
    @EnumSource(DeltaSink.Api.class)
    void aSinkThatDropsRecoveredTransactionsIsCaught(
            DeltaSink.Api api, @TempDir Path tmp, @InjectMiniCluster MiniCluster cluster) throws Exception {
        // a failure after pre-commit: the restore must commit the sealed transaction, and does not
        FaultSchedule schedule = FaultSchedule.of(3, 1);
        assertThat(schedule.segments.get(0).fault).isEqualTo(FaultKind.FAIL_BEFORE_COMMIT);
        Outcome outcome =
                run(schedule, tmp, cluster, builder -> SinkTestHooks.breakRecovery(builder.api(api)), true);
        assertThat(outcome.report.exactlyOnce()).as(outcome.text).isFalse();
        assertThat(outcome.report.missing).as(outcome.text).isNotEmpty();
    }

    // ------------------------------------------------------------------------------------------

    /** The result of one schedule. */
    static final class Outcome {
        ReconcileReport report;
        String text;
        boolean metricsMatch;
        long otherRows;
        long expectedOtherRows;
    }

    private final List<JobClient> jobs = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void cancelLeftoverJobs() {
        for (JobClient job : jobs) {
            try {
                job.cancel().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception finishedAlready) {
                // nothing left to cancel
            }
        }
        jobs.clear();
    }

    private String stopWithSavepoint(JobClient job, boolean drain, Path tmp) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try {
                return job.stopWithSavepoint(drain, tmp.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL).get();
            } catch (java.util.concurrent.ExecutionException e) {
                // tasks may be restarting after an injected fault: try again once they run
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private Outcome run(
            FaultSchedule schedule,
            Path tmp,
            MiniCluster cluster,
            Consumer<DeltaSink.Builder> ordersSink,
            boolean lossExpected)
            throws Exception {
        String topic = "faults-" + schedule.seed + "-" + System.nanoTime();
        kafka.createTopic(topic, 3);
        Set<String> expectedIds = new HashSet<>();
        long expectedMalformed = 0;
        Outcome outcome = new Outcome();
        String savepoint = null;
        String table = tmp.resolve("orders").toUri().toString();
        for (FaultSchedule.Segment segment : schedule.segments) {
            boolean last = segment.index == schedule.segments.size() - 1;
            InjectedCommitFaults.disarm();
            FailOnceMapper.rearm();
            arm(segment);
            JobConfig config = config(topic, table, tmp);
            long failAfter = segment.fault == FaultKind.TASK_FAILURE ? segment.failAfterRecords : -1;
            JobClient job = submit(config, savepoint, segment.parallelism, ordersSink, failAfter);
            jobs.add(job);

            long from = (long) segment.index * ORDERS_PER_SEGMENT;
            OrderGenerator generator = new OrderGenerator(schedule.seed * 100 + segment.index, 0.08, 0.02, 10_000);
            String prefix = "s" + schedule.seed + "-";
            long middle = from + ORDERS_PER_SEGMENT / 2;
            OrderGenerator.Produced first = generator.produce(
                    kafka.bootstrapServers(), topic, 3, Math.max(0, from - OVERLAP), middle, prefix);
            JobClient concurrent = null;
            switch (segment.fault) {
                case TASKMANAGER_LOSS:
                    awaitRows(table, topic, rowsOf(table, topic) + 1);
                    cluster.terminateTaskManager(1).get();
                    cluster.terminateTaskManager(0).get();
                    cluster.startTaskManager();
                    cluster.startTaskManager();
                    break;
                case BROKER_RESTART:
                    awaitRows(table, topic, rowsOf(table, topic) + 1);
                    kafka.restart();
                    break;
                case STATE_LOST:
                    awaitRows(table, topic, rowsOf(table, topic) + 1);
                    job.cancel().get();
                    awaitTermination(job);
                    deleteRecursively(tmp.resolve("checkpoints"));
                    deleteRecursively(tmp.resolve("savepoints"));
                    job = submit(config, null, segment.parallelism, ordersSink, failAfter);
                    jobs.add(job);
                    break;
                case CONCURRENT_WRITER:
                    concurrent = concurrentWriter(table, schedule.seed, segment.index);
                    jobs.add(concurrent);
                    outcome.expectedOtherRows += CONCURRENT_ROWS;
                    break;
                default:
                    break;
            }
            OrderGenerator.Produced second = generator.produce(
                    kafka.bootstrapServers(), topic, 3, middle, from + ORDERS_PER_SEGMENT, prefix);
            expectedIds.addAll(first.distinctIds);
            expectedIds.addAll(second.distinctIds);
            expectedMalformed += first.malformed.size() + second.malformed.size();
            if (lossExpected) {
                // a broken sink never catches up: let the dead letters land and a few checkpoints pass
                awaitCaughtUp(table, config.deadLetterPath(), topic, 0, expectedMalformed);
                Thread.sleep(3_000);
            } else {
                awaitCaughtUp(table, config.deadLetterPath(), topic, expectedIds.size(), expectedMalformed);
            }
            if (concurrent != null) {
                concurrent.getJobExecutionResult().get();
            }
            assertThat(segment.fault != FaultKind.TASK_FAILURE || FailOnceMapper.hasFailed())
                    .as("task failure fired in %s", segment).isTrue();
            long firedDeadline = System.currentTimeMillis() + 30_000;
            while (!InjectedCommitFaults.allFired() && System.currentTimeMillis() < firedDeadline) {
                Thread.sleep(100); // the listener runs right after the commit the poll already sees
            }
            assertThat(InjectedCommitFaults.allFired()).as("commit faults fired in %s", segment).isTrue();
            savepoint = stopWithSavepoint(job, last, tmp);
        }
        // the final restore from the drained savepoint: it must start, re-commit nothing twice and
        // lose nothing while it runs a few checkpoints
        JobConfig finalConfig = config(topic, table, tmp);
        long rowsBefore = rowsOf(table, topic);
        JobClient finalJob = submit(finalConfig, savepoint, 2, ordersSink, -1);
        jobs.add(finalJob);
        Thread.sleep(3_000);
        assertThat(finalJob.getJobExecutionResult().isCompletedExceptionally())
                .as("the restore of the drained savepoint failed").isFalse();
        finalJob.cancel().get();
        assertThat(rowsOf(table, topic)).as("rows after the final restore").isEqualTo(rowsBefore);

        KafkaTopicSnapshot snapshot = KafkaTopicSnapshot.read(kafka.bootstrapServers(), List.of(topic), new java.util.Properties(), 10_000, 256);
        outcome.report = ReconcileReport.of(snapshot, topic, table, finalConfig.deadLetterPath());
        outcome.text = outcome.report.toText(table, finalConfig.deadLetterPath());
        outcome.otherRows = outcome.report.otherTopicRows;
        outcome.metricsMatch = metricsMatch(finalConfig.metricsPath(), outcome.report, snapshot);
        return outcome;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).collect(java.util.stream.Collectors.toList())) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    private static void arm(FaultSchedule.Segment segment) {
        switch (segment.fault) {
            case FAIL_BEFORE_COMMIT:
                InjectedCommitFaults.beforeCommit.set(1);
                break;
            case FAIL_AFTER_COMMIT:
                InjectedCommitFaults.afterCommit.set(1);
                break;
            case FAIL_DURING_RECOVERY:
                InjectedCommitFaults.beforeCommit.set(1);
                InjectedCommitFaults.duringRecovery.set(1);
                break;
            default:
                break;
        }
    }

    private static JobConfig config(String topic, String table, Path tmp) {
        return JobConfig.fromMap(Map.of(
                "bootstrap-servers", kafka.bootstrapServers(),
                "topics", topic,
                "table-path", table,
                "checkpoint-dir", tmp.resolve("checkpoints").toUri().toString(),
                "checkpoint-interval-ms", "400",
                "state-backend", "hashmap",
                "max-record-bytes", "10000",
                "restart-attempts", "20"));
    }

    /** Submits the job; with {@code failAfterRecords >= 0} a {@link FailOnceMapper} after the source. */
    private static JobClient submit(
            JobConfig config, String savepoint, int parallelism, Consumer<DeltaSink.Builder> ordersSink,
            long failAfterRecords)
            throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        OrdersJob.configure(env, config);
        env.setParallelism(parallelism);
        Consumer<DeltaSink.Builder> sink = builder -> {
            builder.commitListener(new InjectedCommitFaults());
            ordersSink.accept(builder);
        };
        if (failAfterRecords >= 0) {
            OrdersPipeline.buildWithMapAfterSource(env, config, new FailOnceMapper<>(failAfterRecords), sink);
        } else {
            OrdersPipeline.build(env, config, sink);
        }
        return env.executeAsync("faults p=" + parallelism);
    }

    /** A second job appending its own rows (topic "concurrent-writer") to the same orders table. */
    private static JobClient concurrentWriter(String table, long seed, int segment) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(300);
        env.setParallelism(1);
        String prefix = "other-" + seed + "-" + segment + "-";
        DeltaSink.forRowType(OrderSchema.ORDERS)
                .tablePath(table)
                .partitionColumns(OrderSchema.ORDERS_PARTITION_COLUMNS)
                .uidPrefix("concurrent-writer")
                .append(env.fromSequence(0, CONCURRENT_ROWS - 1)
                        .map(i -> (RowData) otherRow(prefix, i))
                        .returns(InternalTypeInfo.of(OrderSchema.ORDERS)));
        return env.executeAsync("concurrent writer");
    }

    private static GenericRowData otherRow(String prefix, long i) {
        GenericRowData row = new GenericRowData(OrderSchema.ORDERS.getFieldCount());
        row.setField(OrderSchema.ORDER_ID, StringData.fromString(prefix + i));
        row.setField(OrderSchema.AMOUNT, DecimalData.fromBigDecimal(BigDecimal.ONE, 18, 2));
        row.setField(OrderSchema.EVENT_TIME, TimestampData.fromEpochMillis(1_700_000_000_000L));
        row.setField(OrderSchema.KAFKA_TOPIC, StringData.fromString("concurrent-writer"));
        row.setField(OrderSchema.KAFKA_PARTITION, 0);
        row.setField(OrderSchema.KAFKA_OFFSET, i);
        row.setField(OrderSchema.KAFKA_TIMESTAMP, TimestampData.fromEpochMillis(1_700_000_000_000L));
        row.setField(OrderSchema.EVENT_DATE, 19675);
        return row;
    }

    private static long rowsOf(String table, String topic) {
        long[] rows = {0};
        try {
            new DeltaTableScanner(table, Map.of()).scan(List.of("_kafka_topic"), r -> {
                if (topic.equals(r.getString(0))) {
                    rows[0]++;
                }
            });
        } catch (RuntimeException notCreatedYet) {
            return 0;
        }
        return rows[0];
    }

    private static void awaitRows(String table, String topic, long atLeast) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (rowsOf(table, topic) < atLeast) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no commit reached " + table);
            }
            Thread.sleep(200);
        }
    }

    private static void awaitCaughtUp(String table, String deadLetters, String topic, long rows, long dead)
            throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        long seenRows = -1;
        long seenDead = -1;
        while (System.currentTimeMillis() < deadline) {
            seenRows = rowsOf(table, topic);
            seenDead = rowsOf(deadLetters, topic);
            if (seenRows >= rows && seenDead >= dead) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the job did not catch up: rows " + seenRows + "/" + rows
                + ", dead letters " + seenDead + "/" + dead);
    }

    private static boolean metricsMatch(String metricsPath, ReconcileReport report, KafkaTopicSnapshot kafka) {
        long[] sums = new long[3];
        new DeltaTableScanner(metricsPath, Map.of())
                .scan(List.of("rows", "duplicates_dropped", "dead_letters"), r -> {
                    sums[0] += r.getLong(0);
                    sums[1] += r.getLong(1);
                    sums[2] += r.getLong(2);
                });
        long validRecords = kafka.idAt.size();
        return sums[0] == report.rows
                && sums[2] == report.deadLetters
                && sums[1] == validRecords - report.distinctIds;
    }
}
