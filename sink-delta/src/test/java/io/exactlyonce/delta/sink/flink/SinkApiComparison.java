package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.DeltaSink;
import io.exactlyonce.delta.sink.core.CommitListener;
import io.exactlyonce.delta.sink.core.CommitResult;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.TestRows;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.exactlyonce.delta.sink.testutil.KeySetAssert.assertExactlyOnce;

/**
 * Measures the Flink adapters of the sink in one JVM, alternating (SinkFunction, Sink V2 on Flink
 * 1.20; Sink V2 alone on Flink 2; {@code
 * -Dcompare.rounds} rounds, default 2, the first being warm-up):
 * throughput of a bounded job of {@code -Dcompare.rows} rows (default 1,000,000) at parallelism 2
 * with a 1 s checkpoint interval, and the duration of each Delta commit as the committer reports it.
 * Each run must also be exactly-once. Not part of the default test run (its name matches neither
 * {@code *Test} nor {@code *ITCase}); run it with {@code mvn -pl sink-delta -am verify
 * -Dtest=SinkApiComparison -Dsurefire.failIfNoSpecifiedTests=false} (or {@code -pl sink-delta/flink2}).
 */
class SinkApiComparison {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** Commit durations reported by the committers of the running job (same JVM). */
    static final Queue<Long> COMMIT_MS = new ConcurrentLinkedQueue<>();

    @TempDir Path tmp;

    @Test
    void compareAdapters() throws Exception {
        long rows = Long.getLong("compare.rows", 1_000_000L);
        List<String> lines = new ArrayList<>();
        int round = 0;
        int rounds = Integer.getInteger("compare.rounds", 2);
        for (int i = 0; i < rounds; i++) {
            for (DeltaSink.Api api : DeltaSinkITCase.apis().toArray(DeltaSink.Api[]::new)) {
                lines.add(run(api, rows, "run-" + round++));
            }
        }
        System.out.println("SinkApiComparison, " + rows + " rows, parallelism 2, checkpoint every 1 s");
        lines.forEach(System.out::println);
    }

    private String run(DeltaSink.Api api, long rows, String name) throws Exception {
        String table = tmp.resolve(name).toUri().toString();
        COMMIT_MS.clear();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1_000);
        env.setParallelism(2);
        DeltaSink.forRowType(TestRows.ROW_TYPE)
                .tablePath(table)
                .uidPrefix(name)
                .api(api)
                .commitListener(new DurationRecorder())
                .append(env.fromSource(new NumberSequenceSource(0, rows - 1), WatermarkStrategy.noWatermarks(), "ids")
                        .uid(name + "-source")
                        .map(TestRows::row)
                        .returns(InternalTypeInfo.of(TestRows.ROW_TYPE))
                        .uid(name + "-map"));
        long start = System.nanoTime();
        env.execute(name);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertExactlyOnce(
                DeltaSinkITCase.longs(new DeltaTableReader(table).column("id")), TestRows.ids(0, rows));
        List<Long> commits = new ArrayList<>(COMMIT_MS);
        commits.sort(Long::compare);
        double mean = commits.stream().mapToLong(Long::longValue).average().orElse(0);
        return String.format(
                "%-13s %6.1f s  %,9.0f rows/s  commits %3d  commit ms mean %5.0f  median %5d  max %5d",
                api,
                seconds,
                rows / seconds,
                commits.size(),
                mean,
                commits.isEmpty() ? 0 : commits.get(commits.size() / 2),
                commits.isEmpty() ? 0 : commits.get(commits.size() - 1));
    }

    /** Records the duration of every commit that appended files. */
    private static final class DurationRecorder implements CommitListener {
        private static final long serialVersionUID = 1L;

        @Override
        public void afterCommit(DeltaTransaction transaction, CommitResult result, boolean recovery) {
            if (result.status() == CommitResult.Status.COMMITTED) {
                COMMIT_MS.add(result.durationMs());
            }
        }
    }
}
