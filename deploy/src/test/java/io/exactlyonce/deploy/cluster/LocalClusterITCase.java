package io.exactlyonce.deploy.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code deploy/cluster.sh} and {@code deploy/flink-rest.sh} on a real standalone session
 * cluster (JobManager and TaskManager processes from the Maven-resolved Flink jars, no Kafka): start
 * registers the TaskManager with the JobManager's REST API; a submission of the job jar over REST
 * with options the job refuses fails with the job's own message naming the option; status lists the
 * processes by pid; stop ends each of them. The full run with Kafka, a TaskManager kill and an upgrade
 * is {@link ClusterEndToEndITCase}.
 */
class LocalClusterITCase {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JOB_JAR = ROOT.resolve("flink-job/target/flink-job-0.1.0-SNAPSHOT-job.jar");

    /** The cluster's run folder (pids, logs, Kafka data, tables), deleted after the test. */
    @TempDir Path run;

    private DeployScripts scripts;
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (scripts != null) {
            scripts.run("cluster.sh", List.of("stop"), 120);
        }
    }

    @Test
    void startSubmitStatusAndStopByPid() throws Exception {
        assertThat(JOB_JAR).as("the shaded job jar (mvn -pl flink-job package)").isRegularFile();
        scripts = new DeployScripts(ROOT, run);
        scripts.runOk("cluster.sh", List.of("start", "--no-kafka"), 300);
        pids.add(scripts.pid("jobmanager"));
        pids.add(scripts.pid("taskmanager-1"));
        assertThat(new FlinkRestClient(scripts.restUrl()).taskManagers()).hasSize(1);

        DeployScripts.Result refused = scripts.run("flink-rest.sh",
                List.of("submit", JOB_JAR.toString(), "--parallelism", "1", "--", "--bootstrap-servers", "127.0.0.1:1",
                        "--table-path", scripts.runDir().resolve("orders").toString()), 180);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("submit failed: ").contains("'--topics'");

        DeployScripts.Result status = scripts.runOk("cluster.sh", List.of("status"), 120);
        assertThat(status.stdout())
                .containsPattern("jobmanager +pid " + pids.get(0) + " +running")
                .containsPattern("taskmanager-1 +pid " + pids.get(1) + " +running")
                .contains("Web UI / REST: " + scripts.restUrl());

        scripts.runOk("cluster.sh", List.of("stop"), 120);
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
        }
        assertThat(scripts.runDir().resolve("pids")).isEmptyDirectory();
    }
}
