package io.exactlyonce.job;

import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests that {@code --table-conf} settings reach the Delta Kernel engines of the job's tables: a log
 * store named for the {@code file} scheme is the one Kernel loads when the job graph is built (and
 * the tables are created), so a class that does not exist fails the build naming it, while the
 * same build without the setting creates all three tables.
 */
class TableConfTest {

    @TempDir Path tmp;

    private JobConfig config(String... extra) {
        String[] required = {
            "--bootstrap-servers", "127.0.0.1:1", "--topics", "orders",
            "--table-path", tmp.resolve("orders").toString(),
        };
        String[] all = new String[required.length + extra.length];
        System.arraycopy(required, 0, all, 0, required.length);
        System.arraycopy(extra, 0, all, required.length, extra.length);
        return JobConfig.fromArgs(all);
    }

    @Test
    void aLogStoreSetByTableConfIsTheOneKernelLoads() {
        JobConfig config = config("--table-conf", "io.delta.kernel.logStore.file.impl=org.example.NoSuchLogStore");
        assertThatThrownBy(() -> OrdersPipeline.build(StreamExecutionEnvironment.getExecutionEnvironment(), config))
                .satisfies(e -> assertThat(causes(e)).contains("org.example.NoSuchLogStore"));
        assertThat(tmp.resolve("orders").resolve("_delta_log")).doesNotExist();
    }

    @Test
    void withoutTableConfTheSameBuildCreatesTheTables() {
        OrdersPipeline.build(StreamExecutionEnvironment.getExecutionEnvironment(), config());
        for (String table : new String[] {"orders", "orders_dead_letters", "orders_metrics"}) {
            assertThat(Files.isDirectory(tmp.resolve(table).resolve("_delta_log"))).as(table).isTrue();
        }
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
