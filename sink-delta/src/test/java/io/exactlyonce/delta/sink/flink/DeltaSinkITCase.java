package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.DeltaSink;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.TestRows;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.exactlyonce.delta.sink.testutil.KeySetAssert.assertExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MiniCluster tests of {@link DeltaSink}: whole jobs writing real Delta tables, each run with both
 * Flink adapters ({@link DeltaSink.Api}).
 */
class DeltaSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** Set once a mapper threw its injected failure; shared by the mappers of one test. */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    /** Every adapter the Flink line under test has: both on 1.20, Sink V2 only on 2.x. */
    static Stream<DeltaSink.Api> apis() {
        return Stream.of(DeltaSink.Api.values()).filter(FlinkLine::supports);
    }

    @TempDir Path tmp;

    @BeforeEach
    void reset() {
        FAILED.set(false);
    }

    @ParameterizedTest
    @MethodSource("apis")
    void injectedFailureAfterCompletedCheckpointKeepsExactlyOnce(DeltaSink.Api api) throws Exception {
        String table = tmp.resolve("table").toUri().toString();
        long n = 20_000;
        StreamExecutionEnvironment env = environment(100);
        build(env, api, table, 0, n, /* failAfterRecords */ 3_000, "orders");
        JobExecutionResult result = env.execute("failure");

        assertThat(FAILED).as("the failure was injected").isTrue();
        assertExactlyOnce(longs(new DeltaTableReader(table).column("id")), TestRows.ids(0, n));
        assertThat(result.getNetRuntime()).isPositive();
    }

    @ParameterizedTest
    @MethodSource("apis")
    void endOfInputCommitsTheLastFilesWithTheFinalCheckpoint(DeltaSink.Api api) throws Exception {
        String table = tmp.resolve("final").toUri().toString();
        long n = 5_000;
        // no periodic checkpoint ever triggers: only the final checkpoint at end of input commits
        StreamExecutionEnvironment env = environment(3_600_000);
        build(env, api, table, 0, n, -1, "final");
        env.execute("final checkpoint");

        DeltaTableReader reader = new DeltaTableReader(table);
        assertExactlyOnce(longs(reader.column("id")), TestRows.ids(0, n));
        assertThat(reader.version()).as("create + one commit").isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("apis")
    void twoJobsAppendingToTheSameTableAtTheSameTimeBothLand(DeltaSink.Api api) throws Exception {
        String table = tmp.resolve("shared").toUri().toString();
        StreamExecutionEnvironment envA = environment(50);
        build(envA, api, table, 0, 8_000, -1, "job-a");
        StreamExecutionEnvironment envB = environment(50);
        build(envB, api, table, 100_000, 108_000, -1, "job-b");

        JobClient a = envA.executeAsync("job-a");
        JobClient b = envB.executeAsync("job-b");
        a.getJobExecutionResult().get();
        b.getJobExecutionResult().get();

        java.util.Set<Long> expected = TestRows.ids(0, 8_000);
        expected.addAll(TestRows.ids(100_000, 108_000));
        assertExactlyOnce(longs(new DeltaTableReader(table).column("id")), expected);
    }

    @ParameterizedTest
    @MethodSource("apis")
    void logCheckpointsAreWrittenAndTxnVersionsSurviveThem(DeltaSink.Api api) throws Exception {
        String table = tmp.resolve("logcp").toUri().toString();
        long n = 20_000;
        StreamExecutionEnvironment env = environment(30);
        DeltaSink.forRowType(TestRows.ROW_TYPE)
                .tablePath(table)
                .uidPrefix("logcp")
                .api(api)
                .tableProperty("delta.checkpointInterval", "3")
                .append(rows(env, 0, n, -1, "logcp"));
        env.execute("log checkpoints");

        DeltaTableReader reader = new DeltaTableReader(table);
        assertThat(reader.version())
                .as("more commits than the log checkpoint interval of 3")
                .isGreaterThan(3);
        Path log = tmp.resolve("logcp").resolve("_delta_log");
        try (Stream<Path> files = Files.list(log)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.endsWith(".checkpoint.parquet"));
        }
        String appId = appIdOf(log.resolve(String.format("%020d.json", 1)));
        assertThat(reader.txnVersion(appId)).as("txn version of " + appId).isPresent();
        assertThat(reader.txnVersion(appId).get()).isGreaterThan(3);
        assertExactlyOnce(longs(reader.column("id")), TestRows.ids(0, n));
    }

    @ParameterizedTest
    @MethodSource("apis")
    void partitionedTableWritesPartitionDirectoriesAndLogValues(DeltaSink.Api api) throws Exception {
        Path dir = tmp.resolve("partitioned");
        String table = dir.toUri().toString();
        long n = 3_000;
        StreamExecutionEnvironment env = environment(200);
        buildPartitioned(env, api, table, n);
        env.execute("partitioned");

        DeltaTableReader reader = new DeltaTableReader(table);
        List<DeltaTableReader.DataFile> files = reader.dataFiles();
        assertThat(files).isNotEmpty();
        for (DeltaTableReader.DataFile file : files) {
            String date = file.partitionValues.get("event_date");
            assertThat(date).isIn("2024-01-01", "2024-01-02", "2024-01-03");
            assertThat(file.path).contains("/event_date=" + date + "/");
        }
        try (Stream<Path> partitions = Files.list(dir)) {
            assertThat(partitions.map(p -> p.getFileName().toString()).filter(s -> s.startsWith("event_date=")))
                    .containsExactlyInAnyOrder(
                            "event_date=2024-01-01", "event_date=2024-01-02", "event_date=2024-01-03");
        }
        List<Map<String, Object>> rows = reader.rows();
        for (Map<String, Object> row : rows) {
            long id = (Long) row.get("id");
            int day = (Integer) row.get("event_date");
            assertThat(day).isEqualTo(TestRows.BASE_DAY + (int) (id % 3));
        }
        assertThat(LocalDate.ofEpochDay(TestRows.BASE_DAY)).isEqualTo(LocalDate.of(2024, 1, 1));
        assertExactlyOnce(
                rows.stream().map(r -> (Long) r.get("id")).collect(Collectors.toList()),
                TestRows.ids(0, n));
    }

    // ------------------------------------------------------------------------------------------

    static StreamExecutionEnvironment environment(long checkpointIntervalMs) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.enableCheckpointing(checkpointIntervalMs);
        env.setParallelism(2);
        return env;
    }

    static void build(
            StreamExecutionEnvironment env,
            DeltaSink.Api api,
            String table,
            long from,
            long toExclusive,
            long failAfterRecords,
            String uid) {
        DeltaSink.forRowType(TestRows.ROW_TYPE)
                .tablePath(table)
                .uidPrefix(uid)
                .api(api)
                .append(rows(env, from, toExclusive, failAfterRecords, uid));
    }

    static void buildPartitioned(StreamExecutionEnvironment env, DeltaSink.Api api, String table, long n) {
        DeltaSink.forRowType(TestRows.ROW_TYPE)
                .tablePath(table)
                .uidPrefix("partitioned")
                .api(api)
                .partitionColumns("event_date")
                .append(rows(env, 0, n, -1, "partitioned"));
    }

    static org.apache.flink.streaming.api.datastream.DataStream<RowData> rows(
            StreamExecutionEnvironment env,
            long from,
            long toExclusive,
            long failAfterRecords,
            String uid) {
        TypeInformation<RowData> type = InternalTypeInfo.of(TestRows.ROW_TYPE);
        return env.fromSource(
                        new NumberSequenceSource(from, toExclusive - 1),
                        WatermarkStrategy.noWatermarks(),
                        uid + "-source")
                .uid(uid + "-source")
                .map(new ThrottledFailingMapper(failAfterRecords))
                .returns(type)
                .uid(uid + "-map");
    }

    static List<Long> longs(List<Object> values) {
        return values.stream().map(v -> (Long) v).collect(Collectors.toList());
    }

    static String appIdOf(Path commitFile) throws IOException {
        Matcher m = Pattern.compile("\"appId\":\"([^\"]+)\"").matcher(Files.readString(commitFile));
        assertThat(m.find()).as("txn action in " + commitFile).isTrue();
        return m.group(1);
    }

    /**
     * Turns ids into rows, slowly enough that a run spans many checkpoints, and (if asked) throws
     * once after a checkpoint completed and it has seen enough records. Chained to the source, so
     * the failure lands between checkpoints.
     */
    static final class ThrottledFailingMapper implements MapFunction<Long, RowData>, CheckpointListener {
        private final long failAfterRecords;
        private transient long seen;
        private transient boolean checkpointCompleted;
        private transient long completed;

        ThrottledFailingMapper(long failAfterRecords) {
            this.failAfterRecords = failAfterRecords;
        }

        @Override
        public RowData map(Long id) throws Exception {
            if (++seen % 20 == 0) {
                // slower while checkpoints lag behind (a loaded machine), so that a run spans
                // about one completed checkpoint per 1,000 records whatever the machine's speed
                Thread.sleep(completed < seen / 1_000 ? 4 : 1);
            }
            if (failAfterRecords >= 0
                    && checkpointCompleted
                    && seen > failAfterRecords
                    && FAILED.compareAndSet(false, true)) {
                throw new RuntimeException("injected failure after a completed checkpoint");
            }
            return TestRows.row(id);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointCompleted = true;
            completed++;
        }
    }
}
