package io.exactlyonce.job.local;

import io.exactlyonce.job.EmbeddedKafka;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EmbeddedFlink}: while a job runs on the embedded Flink of the local runner (the
 * demo uses the same settings), every socket the JVM opened for it listens on the loopback address.
 */
class EmbeddedFlinkLoopbackITCase {

    @TempDir Path tmp;

    @Test
    void everyPortOfARunningEmbeddedJobIsOnLoopback() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("loopback", 2);
            Set<String> before = ListeningSockets.ofThisProcess();
            JobConfig config = JobConfig.fromMap(Map.of(
                    "bootstrap-servers", kafka.bootstrapServers(),
                    "topics", "loopback",
                    "table-path", tmp.resolve("orders").toUri().toString(),
                    "checkpoint-dir", tmp.resolve("checkpoints").toUri().toString(),
                    "checkpoint-interval-ms", "500",
                    "starting-offsets", "earliest",
                    "state-backend", "rocksdb",
                    "parallelism", "2"));
            StreamExecutionEnvironment env = LocalJobRunner.environment(config);
            OrdersPipeline.build(env, config);
            JobClient job = env.executeAsync("loopback");
            try {
                awaitRunning(job);
                Thread.sleep(2_000); // tasks deployed, a checkpoint or two taken
                Set<String> opened = new TreeSet<>(ListeningSockets.ofThisProcess());
                opened.removeAll(before);

                assertThat(opened).as("sockets the embedded Flink listens on").isNotEmpty();
                for (String socket : opened) {
                    assertThat(ListeningSockets.isLoopback(socket))
                            .as("%s is on loopback (all opened: %s)", socket, opened)
                            .isTrue();
                }
            } finally {
                job.cancel().get();
            }
        }
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            assertThat(System.currentTimeMillis()).as("job running within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
