package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.DeltaSink;
import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.TestRows;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.exactlyonce.delta.sink.testutil.KeySetAssert.assertExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The switch between the sink's two Flink adapters that the README describes: a job on the {@code
 * SinkFunction} sink is stopped with a savepoint and restarted on the Sink V2 sink from that
 * savepoint (its old committer state not restored); the source resumes where it stopped and the
 * table holds every row exactly once.
 */
class SinkApiMigrationITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path tmp;

    @Test
    void stopWithSavepointThenRestartOnTheOtherApiKeepsExactlyOnce() throws Exception {
        String table = tmp.resolve("table").toUri().toString();
        long n = 60_000;
        DeltaTableReader reader = new DeltaTableReader(table);

        StreamExecutionEnvironment first = DeltaSinkITCase.environment(200);
        attach(first, DeltaSink.Api.SINK_FUNCTION, table, n);
        JobClient job = first.executeAsync("on the SinkFunction sink");
        long deadline = System.currentTimeMillis() + 120_000;
        while (!tableHasCommits(reader) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        String savepoint =
                job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(120, TimeUnit.SECONDS);
        long rowsBefore = reader.column("id").size();
        assertThat(rowsBefore).as("the first job stopped part-way").isPositive().isLessThan(n);

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        restore.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        StreamExecutionEnvironment second = DeltaSinkITCase.environment(200);
        second.configure(restore);
        attach(second, DeltaSink.Api.SINK_V2, table, n);
        second.execute("on the Sink V2 sink");

        assertExactlyOnce(DeltaSinkITCase.longs(reader.column("id")), TestRows.ids(0, n));
        assertThat(reader.appIds()).as("the second sink commits under its own appId").hasSize(2);
    }

    private static boolean tableHasCommits(DeltaTableReader reader) {
        try {
            return reader.version() >= 1;
        } catch (RuntimeException notCreatedYet) {
            return false;
        }
    }

    private static void attach(StreamExecutionEnvironment env, DeltaSink.Api api, String table, long n) {
        DeltaSink.forRowType(TestRows.ROW_TYPE)
                .tablePath(table)
                .uidPrefix("migrate")
                .api(api)
                .append(DeltaSinkITCase.rows(env, 0, n, -1, "migrate"));
    }
}
