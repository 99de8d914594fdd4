package io.exactlyonce.deploy.cluster;

import io.exactlyonce.delta.sink.read.DeltaTableScanner;
import io.exactlyonce.tools.reconcile.KafkaTopicSnapshot;
import io.exactlyonce.tools.reconcile.ReconcileReport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job on a real Flink standalone session cluster, driven the way an operator drives it:
 * {@code deploy/cluster.sh} starts the Kafka broker, a JobManager and a TaskManager as separate JVM
 * processes; the job jar is submitted over the REST API; orders with duplicates and malformed records
 * flow in all the while; the TaskManager process is killed with {@code kill -9} mid-run and a new one
 * started ({@code cluster.sh add-taskmanager}), and the job must recover on it through its restart
 * strategy; {@code deploy/upgrade.sh} then moves the job to another parallelism through a savepoint
 * while data keeps flowing; the input ends, the job is stopped with a draining savepoint, and the
 * tables are checked exactly: every distinct valid order once (missing, duplicated, extra), every
 * malformed record in the dead-letter table, and the metrics table's sums equal to what was produced.
 * {@code cluster.sh stop} ends every process the test started, checked by pid.
 *
 * <p>Takes several minutes: run by the {@code cluster-e2e} profile only (see the README, "Local
 * cluster").
 */
class ClusterEndToEndITCase {

    private static final String TOPIC = "orders";
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JOB_JAR = ROOT.resolve("flink-job/target/flink-job-0.1.0-SNAPSHOT-job.jar");

    /** The cluster's run folder (pids, logs, Kafka data, tables), deleted after the test. */
    @TempDir Path run;

    private DeployScripts scripts;
    private FlowingOrders orders;
    private final List<Long> startedPids = new ArrayList<>();

    @AfterEach
    void stopCluster() throws Exception {
        if (orders != null) {
            orders.stop();
        }
        if (scripts != null) {
            scripts.run("cluster.sh", List.of("stop"), 180);
            for (long pid : startedPids) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("process %d stopped by cluster.sh stop", pid).isFalse();
            }
        }
    }

    @Test
    void exactlyOnceThroughTaskManagerKillAndSavepointUpgradeOnACluster() throws Exception {
        assertThat(JOB_JAR).as("the shaded job jar (mvn -pl flink-job package)").isRegularFile();
        long start = System.nanoTime();
        scripts = new DeployScripts(ROOT, run);
        scripts.runOk("cluster.sh", List.of("start", "--taskmanagers", "1"), 300);
        for (String process : List.of("kafka", "jobmanager", "taskmanager-1")) {
            startedPids.add(scripts.pid(process));
        }
        String bootstrap = Files.readString(run.resolve("kafka/bootstrap-servers")).trim();
        String table = run.resolve("tables/orders").toString();
        List<String> jobArgs = List.of(
                "--bootstrap-servers", bootstrap,
                "--topics", TOPIC,
                "--table-path", table,
                "--checkpoint-dir", run.resolve("checkpoints").toUri().toString(),
                "--checkpoint-interval-ms", "2000");
        FlinkRestClient rest = new FlinkRestClient(scripts.restUrl());
        JobWatch watch = new JobWatch(rest);

        String firstJob = rest.runJar(rest.uploadJar(JOB_JAR), jobArgs, 2, Optional.empty());
        watch.awaitCheckpoints(firstJob, 1, true, Duration.ofMinutes(3));
        orders = new FlowingOrders(bootstrap, TOPIC, 3, 1000, 700);
        awaitCommittedRows(table + "_metrics", 2000, Duration.ofMinutes(3));

        long checkpointsBeforeKill = rest.completedCheckpoints(firstJob);
        Instant kill = Instant.now();
        long killed = scripts.pid("taskmanager-1");
        Process kill9 = new ProcessBuilder("kill", "-9", Long.toString(killed)).inheritIO().start();
        assertThat(kill9.waitFor(10, TimeUnit.SECONDS) && kill9.exitValue() == 0).as("kill -9 %d", killed).isTrue();
        Optional<ProcessHandle> gone = ProcessHandle.of(killed);
        if (gone.isPresent()) {
            gone.get().onExit().get(30, TimeUnit.SECONDS);
        }
        scripts.runOk("cluster.sh", List.of("add-taskmanager"), 120);
        startedPids.add(scripts.pid("taskmanager-2"));
        watch.awaitCheckpoints(firstJob, checkpointsBeforeKill + 2, false, Duration.ofMinutes(5));
        Instant recovered = Instant.now();
        assertThat(rest.rootException(firstJob)).as("the job failed over after the kill").isPresent();

        Instant upgradeStart = Instant.now();
        DeployScripts.Result upgrade = scripts.runOk("upgrade.sh", upgradeArgs(firstJob, jobArgs), 900);
        Instant upgradeEnd = Instant.now();
        String newJob = line(upgrade.stdout(), "job ");
        String savepoint = line(upgrade.stdout(), "savepoint ");
        assertThat(rest.jobState(firstJob)).isEqualTo("FINISHED");
        assertThat(rest.jobState(newJob)).isEqualTo("RUNNING");

        // data keeps flowing into the upgraded job; then the input ends
        long target = orders.distinctSoFar() + 5000;
        while (orders.distinctSoFar() < target) {
            Thread.sleep(500);
        }
        FlowingOrders.Totals produced = orders.finish();
        awaitMetrics(table + "_metrics", produced, Duration.ofMinutes(5));
        String finalSavepoint = watch.stopWithSavepoint(newJob, null, true, Duration.ofMinutes(5));
        long[] finalSums = metricSums(table + "_metrics");
        DeployScripts.Result refused = scripts.run("upgrade.sh", upgradeArgs(newJob, jobArgs), 300);
        assertThat(refused.exitCode()).as("upgrade of a job that is gone").isEqualTo(1);
        assertThat(refused.output()).contains("REFUSED: the savepoint of job " + newJob + " failed");

        ReconcileReport report = ReconcileReport.of(
                KafkaTopicSnapshot.read(bootstrap, List.of(TOPIC), new Properties(), 1 << 20, 256),
                TOPIC, table, table + "_dead_letters");
        System.out.printf(
                "Cluster end-to-end: wall %.1f s; TaskManager pid %d killed at %s, job recovered at %s;"
                        + " upgrade %s -> %s (savepoint %s, job %s -> %s at parallelism 3); final savepoint %s%n"
                        + "produced %s; metrics rows=%d duplicates_dropped=%d dead_letters=%d%n%s%n",
                (System.nanoTime() - start) / 1e9, killed, kill, recovered, upgradeStart, upgradeEnd, savepoint,
                firstJob, newJob, finalSavepoint, produced, finalSums[0], finalSums[1], finalSums[2],
                report.toText(table, table + "_dead_letters"));
        assertThat(report.missing).as("missing orders").isEmpty();
        assertThat(report.duplicated).as("duplicated orders").isEmpty();
        assertThat(report.extra).as("orders that were never produced").isEmpty();
        assertThat(report.ok()).as("lineage and dead letters match Kafka").isTrue();
        assertThat(report.distinctIds).isEqualTo(produced.distinctIds.size());
        assertThat(report.rows).isEqualTo(produced.distinctIds.size());
        assertThat(report.malformedInKafka).isEqualTo(produced.malformed);
        assertThat(report.deadLetters).isEqualTo(produced.malformed);
        assertThat(finalSums).containsExactly(produced.distinctIds.size(), produced.duplicates, produced.malformed);
    }

    private static List<String> upgradeArgs(String job, List<String> jobArgs) {
        List<String> args = new ArrayList<>(List.of(job, "--parallelism", "3", "--"));
        args.addAll(jobArgs);
        return args;
    }

    private static String line(String stdout, String prefix) {
        return stdout.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no '" + prefix + "' line in:\n" + stdout));
    }

    /** Waits until the metrics table records at least {@code rows} committed rows. */
    private static void awaitCommittedRows(String metrics, long rows, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (metricSums(metrics)[0] < rows) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + rows + " rows committed within " + timeout);
            }
            Thread.sleep(1000);
        }
    }

    /** Waits until the metrics table accounts for everything produced, or the timeout passes. */
    private static void awaitMetrics(String metrics, FlowingOrders.Totals produced, Duration timeout)
            throws Exception {
        long[] expected = {produced.distinctIds.size(), produced.duplicates, produced.malformed};
        long deadline = System.nanoTime() + timeout.toNanos();
        long[] sums = metricSums(metrics);
        while (!java.util.Arrays.equals(sums, expected) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            sums = metricSums(metrics);
        }
    }

    /** Sums of rows, duplicates_dropped and dead_letters over the metrics table. */
    private static long[] metricSums(String metrics) {
        long[] sums = new long[3];
        if (!Files.isDirectory(Path.of(metrics, "_delta_log"))) {
            return sums;
        }
        new DeltaTableScanner(metrics, java.util.Map.of())
                .scan(List.of("rows", "duplicates_dropped", "dead_letters"), row -> {
                    sums[0] += row.getLong(0);
                    sums[1] += row.getLong(1);
                    sums[2] += row.getLong(2);
                });
        return sums;
    }
}
