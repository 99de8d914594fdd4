package io.exactlyonce.tools.reconcile;

import io.exactlyonce.deploy.kit.OrderGenerator;
import io.exactlyonce.job.EmbeddedKafkaExtension;
import io.exactlyonce.job.LocalJobProcess;
import io.exactlyonce.tools.reconcile.KafkaTopicSnapshot;
import io.exactlyonce.tools.reconcile.ReconcileReport;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user did: ran the job with {@code deploy/run-local.sh} (bounded, orders with duplicates and
 * malformed records), killed it with {@code kill -9} in the middle, and ran the same command again. The
 * runner ({@link LocalJobProcess}: its own JVM, as the script runs it) reads a real broker; the test
 * kills it with {@link Process#destroyForcibly()} (SIGKILL) at a moment drawn from the seed — after
 * 0 to 3 checkpoints of that run have completed (0: after the job started, before its first
 * checkpoint), plus 0–800 ms — once or twice, then runs the same command to the end and reconciles the
 * tables with the topic exactly ({@link ReconcileReport}: no id missing, none duplicated, none extra,
 * every row's lineage and every dead letter right).
 *
 * <p>CI runs {@link #CI_SEEDS}: one kill before the first checkpoint, and two kills after completed
 * checkpoints (the second run resumed, then killed again). {@code -Dresume.seeds=N} runs seeds 1..N
 * instead; {@code -Dresume.records=N} changes the number of distinct orders.
 */
class ResumeAfterKillITCase {

    /**
     * Seed 11: one kill before the first checkpoint, {@code --starting-offsets earliest}; seed 3: one kill
     * after two checkpoints, earliest (the user's case); seed 1 (two kills, after one checkpoint and
     * then after three more of the resumed run, {@code committed}) runs with {@code -Dresume.seeds}.
     */
    private static final long[] CI_SEEDS = {11, 3};
    private static final int PARTITIONS = 3;
    private static final int MAX_RECORD_BYTES = 4096;
    private static final int MAX_ORDER_ID_BYTES = 256; // the job's default
    private static final long DISTINCT = Long.getLong("resume.records", 60_000);
    private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir Path tmp;

    static Stream<Long> seeds() {
        String n = System.getProperty("resume.seeds");
        return n == null ? LongStream.of(CI_SEEDS).boxed() : LongStream.rangeClosed(1, Long.parseLong(n)).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSameCommandAfterKill9ResumesAndWritesEveryOrderExactlyOnce(long seed) throws Exception {
        Scenario scenario = Scenario.of(seed);
        String topic = "orders-" + seed;
        kafka.createTopic(topic, PARTITIONS);
        OrderGenerator.Produced produced = new OrderGenerator(seed, 0.25, 0.002, MAX_RECORD_BYTES)
                .produce(kafka.bootstrapServers(), topic, PARTITIONS, DISTINCT, "order-");
        String table = tmp.resolve("orders").toUri().toString();
        Path checkpoints = tmp.resolve("checkpoints");
        List<String> command = List.of(
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--topics", topic,
                "--group-id", "resume-" + seed,
                "--table-path", table,
                "--checkpoint-dir", checkpoints.toUri().toString(),
                "--checkpoint-interval-ms", "1000",
                "--bounded", "true",
                "--starting-offsets", scenario.startingOffsets,
                "--max-record-bytes", Integer.toString(MAX_RECORD_BYTES),
                "--parallelism", "2");
        Path log = Paths.get("target", "ResumeAfterKillITCase-seed-" + seed + ".log");
        Files.deleteIfExists(log);
        System.out.printf("seed %d: %s; %s; starting offsets %s%n", seed, produced, scenario.kills, scenario.startingOffsets);

        List<String> killedAt = new ArrayList<>();
        for (Kill kill : scenario.kills) {
            killedAt.add(runAndKill(command, log, checkpoints, kill));
        }
        boolean checkpointRetained = !completeCheckpoints(checkpoints).isEmpty();
        long start = System.nanoTime();
        Process last = LocalJobProcess.start(command, log);
        try {
            assertThat(last.waitFor(180, TimeUnit.SECONDS))
                    .as("the last run finished within 180 s; log: %s", LocalJobProcess.tail(log)).isTrue();
            assertThat(last.exitValue()).as("exit code of the last run; log %s: %s", log, LocalJobProcess.tail(log))
                    .isZero();
        } finally {
            last.destroyForcibly();
        }
        System.out.printf("seed %d: killed %s; the same command then ran to the end in %d ms%n",
                seed, killedAt, (System.nanoTime() - start) / 1_000_000);

        ReconcileReport report = ReconcileReport.of(
                KafkaTopicSnapshot.read(kafka.bootstrapServers(), List.of(topic), new Properties(),
                        MAX_RECORD_BYTES, MAX_ORDER_ID_BYTES),
                topic, table, table + "_dead_letters");
        String text = report.toText(table, table + "_dead_letters");
        System.out.println(text);
        assertThat(report.kafkaRecords).as("records in the topic").isEqualTo(produced.records);
        assertThat(report.distinctIds).as("distinct ids in the topic").isEqualTo(produced.distinctIds.size());
        assertThat(report.duplicated).as("duplicated ids\n%s", text).isEmpty();
        assertThat(report.missing).as("missing ids\n%s", text).isEmpty();
        assertThat(report.extra).as("extra ids\n%s", text).isEmpty();
        assertThat(report.rows).as("rows\n%s", text).isEqualTo(produced.distinctIds.size());
        assertThat(report.ok()).as("lineage and dead letters\n%s", text).isTrue();

        String lastRun = lastRunOf(log);
        if (checkpointRetained) {
            assertThat(lastRun).as("the last run restored the retained checkpoint (log %s)", log)
                    .contains("the latest complete retained checkpoint of this job");
        } else {
            assertThat(lastRun).as("the last run started without state (log %s)", log)
                    .contains("Starting without state: no complete retained checkpoint of this job");
        }
    }

    /**
     * Starts the command, waits until {@code kill.checkpoints} checkpoints of this run have completed
     * (0: until the run's checkpoint directory exists, i.e. the job was submitted), waits {@code
     * kill.delayMs} more and kills the JVM with SIGKILL. Returns what had happened by then.
     */
    private String runAndKill(List<String> command, Path log, Path checkpoints, Kill kill) throws Exception {
        Set<Path> earlierRuns = jobDirs(checkpoints);
        Process job = LocalJobProcess.start(command, log);
        Set<Long> completed = new HashSet<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                assertThat(job.isAlive())
                        .as("the job is still running before the kill (%s): it ended by itself, produce more records;"
                                + " log: %s", kill, LocalJobProcess.tail(log)).isTrue();
                assertThat(System.nanoTime()).as("the kill moment came within 120 s (%s)", kill).isLessThan(deadline);
                Set<Path> thisRun = jobDirs(checkpoints);
                thisRun.removeAll(earlierRuns);
                for (Path dir : thisRun) {
                    completed.addAll(completeIds(dir));
                }
                if (!thisRun.isEmpty() && completed.size() >= kill.checkpoints) {
                    break;
                }
                Thread.sleep(20);
            }
            Thread.sleep(kill.delayMs);
            assertThat(job.isAlive()).as("the job is still running at the kill; log: %s", LocalJobProcess.tail(log))
                    .isTrue();
            job.destroyForcibly();
            assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            job.destroyForcibly();
        }
        Files.writeString(log, "==== killed with SIGKILL ====\n", StandardOpenOption.APPEND);
        return kill + " -> killed with checkpoints " + completeCheckpoints(checkpoints) + " retained";
    }

    /** The output of the last run in a log that collects every run of a seed. */
    private static String lastRunOf(Path log) throws IOException {
        String all = Files.readString(log);
        int at = all.lastIndexOf("==== killed with SIGKILL ====");
        return at < 0 ? all : all.substring(at);
    }

    private static Set<Path> jobDirs(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return new HashSet<>();
        }
        try (Stream<Path> dirs = Files.list(checkpoints)) {
            return dirs.filter(Files::isDirectory).collect(Collectors.toCollection(HashSet::new));
        }
    }

    /** Ids of the complete checkpoints ({@code chk-<n>/_metadata}) in one job directory. */
    private static Set<Long> completeIds(Path jobDir) throws IOException {
        Set<Long> ids = new HashSet<>();
        try (Stream<Path> entries = Files.list(jobDir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Matcher m = CHECKPOINT.matcher(entry.getFileName().toString());
                if (m.matches() && Files.exists(entry.resolve("_metadata"))) {
                    ids.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (NoSuchFileException e) {
            // discarded while listing
        }
        return ids;
    }

    /** Every complete checkpoint under the directory, as {@code <job dir>/chk-<n>}. */
    private static List<String> completeCheckpoints(Path checkpoints) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path dir : jobDirs(checkpoints)) {
            for (long id : completeIds(dir)) {
                all.add(dir.getFileName().toString().substring(0, 6) + "…/chk-" + id);
            }
        }
        return all;
    }

    /** When to kill: after this many completed checkpoints of the run, plus a delay. */
    private static final class Kill {
        final int checkpoints;
        final int delayMs;

        Kill(int checkpoints, int delayMs) {
            this.checkpoints = checkpoints;
            this.delayMs = delayMs;
        }

        @Override
        public String toString() {
            return "kill after " + checkpoints + " checkpoint(s) + " + delayMs + " ms";
        }
    }

    /** Everything a seed decides: one or two kills, and the starting offsets of the command. */
    private static final class Scenario {
        final List<Kill> kills = new ArrayList<>();
        String startingOffsets;

        static Scenario of(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            Scenario scenario = new Scenario();
            int kills = 1 + random.nextInt(2);
            for (int i = 0; i < kills; i++) {
                scenario.kills.add(new Kill(random.nextInt(4), random.nextInt(800)));
            }
            scenario.startingOffsets = random.nextBoolean() ? "earliest" : "committed";
            return scenario;
        }
    }
}
