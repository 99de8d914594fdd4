package io.exactlyonce.deploy.bench;

import io.exactlyonce.delta.sink.read.DeltaTableScanner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.JobID;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one variant at one parallelism in its own child JVM and turns what it left behind (its
 * report, the Delta log or the finished files, the checkpoints the {@link RunObserver} saw) into
 * figures: {@link #bounded} reads the loaded topic to its end; {@link #streaming} keeps the job
 * running while orders arrive at a fixed rate, then stops it. Each run gets fresh table, checkpoint
 * and group ids. Every run checks its output against the truth ({@link OutputCheck}) and says
 * whether it was exact.
 */
final class VariantRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchOptions options;
    private final String bootstrapServers;
    private final Path workDir;

    VariantRun(BenchOptions options, String bootstrapServers, Path workDir) {
        this.options = options;
        this.bootstrapServers = bootstrapServers;
        this.workDir = workDir;
    }

    /** A started child and what observes it. */
    private record Launched(ChildJvm child, RunObserver observer, Path dir, Path output, Path stopFile, Path report) {}

    private Launched launch(Variant v, int parallelism, String topic, String runName, boolean bounded,
                            List<String> extraJobOptions) throws IOException {
        Path dir = workDir.resolve(runName);
        Path output = dir.resolve("table");
        Path report = dir.resolve("report.json");
        Path stop = dir.resolve("stop");
        int port = freePort();
        String jobId = new JobID().toHexString();
        Map<String, String> properties = Map.of(
                ChildSettings.REPORT, report.toString(),
                ChildSettings.REST_PORT, Integer.toString(port),
                ChildSettings.JOB_ID, jobId,
                ChildSettings.STOP_FILE, stop.toString());
        List<String> args = new ArrayList<>();
        if (v == Variant.D) {
            args.add(bootstrapServers);
            args.add(topic);
        } else {
            args.addAll(List.of(
                    "--bootstrap-servers", bootstrapServers,
                    "--topics", topic,
                    "--table-path", output.toUri().toString(),
                    "--checkpoint-dir", dir.resolve("checkpoints").toUri().toString(),
                    "--bounded", Boolean.toString(bounded),
                    "--starting-offsets", "earliest",
                    "--auto-resume", "false",
                    "--parallelism", Integer.toString(parallelism),
                    "--checkpoint-interval-ms", Long.toString(options.checkpointIntervalMs()),
                    "--group-id", "bench-" + runName,
                    "--restart-attempts", "1"));
            args.addAll(v.jobOptions);
            args.addAll(extraJobOptions);
        }
        ChildJvm child = ChildJvm.start(dir, options.heap(), v.main, properties, args);
        RunObserver observer = new RunObserver(port, jobId, v == Variant.C ? output : null, 500);
        return new Launched(child, observer, dir, output, stop, report);
    }

    /** Reads the loaded topic to its end with variant {@code v}; the figures and the output check. */
    VariantResult bounded(Variant v, int parallelism, String topic, OrderLoader.Loaded loaded, String idPrefix)
            throws Exception {
        String name = v.key + "-p" + parallelism;
        Launched run = launch(v, parallelism, topic, name, true, List.of());
        int exit;
        long end;
        try (RunObserver observer = run.observer()) {
            exit = run.child().await(options.timeoutSeconds());
            end = System.currentTimeMillis();
        }
        VariantResult r = new VariantResult();
        r.variant = v.key;
        r.description = v.description;
        r.parallelism = parallelism;
        r.inputRecords = loaded.records();
        r.exitCode = exit;
        r.log = run.child().log.toString();
        long launch = run.child().launchMillis;
        r.wallSeconds = (end - launch) / 1000.0;
        r.wallRecordsPerSecond = loaded.records() / r.wallSeconds;
        JsonNode report = readReport(run.report());
        r.cpuSeconds = report.path("cpuNanos").asLong() / 1e9;
        r.cpuSecondsPerMillionRecords = r.cpuSeconds * 1e6 / loaded.records();
        r.peakHeapMb = report.path("peakHeapBytes").asLong() / 1048576.0;
        if (exit != 0) {
            throw new IllegalStateException("Variant " + name + " failed (exit " + exit + "); see " + r.log);
        }
        List<CheckpointStat> checkpoints = run.observer().checkpoints();
        r.checkpoints = (int) checkpoints.stream().filter(CheckpointStat::completed).count();
        r.checkpointHistory = checkpoints;
        List<BenchStats.Commit> commits;
        List<Long> latencies = List.of();
        switch (v) {
            case A, B -> {
                List<DeltaLogCommits.Version> versions = DeltaLogCommits.read(run.output());
                commits = DeltaLogCommits.asCommits(versions);
                latencies = Visibility.deltaCommitLatencies(versions, checkpoints);
                if (v == Variant.A) {
                    check(r, deltaCheck(run.output(), idPrefix, loaded.distinct()));
                } else {
                    r.expectedRows = loaded.records() - loaded.malformed();
                    r.rowsWritten = versions.stream().mapToLong(DeltaLogCommits.Version::rows).sum();
                    r.exact = r.rowsWritten == r.expectedRows;
                    r.outputCheck = "rows=" + r.rowsWritten + " expected=" + r.expectedRows
                            + " (every valid record, duplicates included)";
                }
            }
            case C -> {
                List<FileSinkOutput.FinishedFile> files =
                        FileSinkOutput.read(run.output(), run.observer().fileSeen(), end);
                commits = FileSinkOutput.asCommits(files);
                latencies = Visibility.fileCommitLatencies(files, checkpoints);
                check(r, fileCheck(files, idPrefix, loaded.distinct()));
            }
            default -> {
                commits = new ArrayList<>();
                for (JsonNode poll : report.path("polls")) {
                    commits.add(new BenchStats.Commit(poll.get(0).asLong(), poll.get(1).asLong()));
                }
                r.rowsWritten = report.path("records").asLong();
                r.expectedRows = loaded.records();
                r.exact = r.rowsWritten == r.expectedRows;
                r.outputCheck = "records read=" + r.rowsWritten + " expected=" + r.expectedRows;
            }
        }
        List<BenchStats.Commit> grouped = BenchStats.group(commits, 250);
        r.commits = grouped.size();
        r.steadyRowsPerSecond = BenchStats.steadyStateRowsPerSecond(grouped);
        r.steadyRecordsPerSecond = r.rowsWritten == 0
                ? Double.NaN : r.steadyRowsPerSecond * loaded.records() / r.rowsWritten;
        long first = BenchStats.firstCommitMillis(grouped);
        r.startupSeconds = first < 0 ? Double.NaN : (first - launch) / 1000.0;
        r.commitLatencyP50Ms = BenchStats.percentile(latencies, 50);
        r.commitLatencyP99Ms = BenchStats.percentile(latencies, 99);
        return r;
    }

    /**
     * The streaming phase of variant a or c: the job unbounded on an empty topic; once its first
     * checkpoint completed, {@code --stream-rate} new orders per second for {@code --stream-seconds};
     * then it waits until every order is visible, stops the job and computes latency and freshness.
     */
    StreamingResult streaming(Variant v, int parallelism, KafkaTopics topics) throws Exception {
        String name = "stream-" + v.key + "-p" + parallelism;
        String topic = "stream-" + v.key + "-p" + parallelism;
        topics.create(topic);
        Launched run = launch(v, parallelism, topic, name, false, List.of());
        StreamingResult r = new StreamingResult();
        r.variant = v.key;
        r.parallelism = parallelism;
        r.offeredPerSecond = options.streamRate();
        r.seconds = options.streamSeconds();
        r.log = run.child().log.toString();
        String prefix = "s" + v.key + "-";
        long lastSend;
        try (RunObserver observer = run.observer()) {
            awaitFirstCheckpoint(run);
            OrderLoader.Loaded sent = new OrderLoader(bootstrapServers, topic, options.partitions())
                    .stream(options.streamRate(), options.streamSeconds(), prefix);
            lastSend = System.currentTimeMillis();
            r.produced = sent.records();
            awaitVisible(v, run, sent.records());
            observer.pollOnce();
            Files.writeString(run.stopFile(), "stop");
            run.child().await(180);
        } finally {
            if (run.child().process.isAlive()) {
                // the phase failed before the child was stopped: do not leave a job running
                run.child().process.destroyForcibly();
                run.child().await(60);
            }
        }
        List<CheckpointStat> checkpoints = run.observer().checkpoints();
        r.checkpoints = (int) checkpoints.stream().filter(CheckpointStat::completed).count();
        r.peakHeapMb = readReport(run.report()).path("peakHeapBytes").asLong() / 1048576.0;
        List<Long> latencies;
        List<Long> freshness;
        long lastVisible;
        OutputCheck check = new OutputCheck(prefix, r.produced);
        if (v == Variant.A) {
            List<DeltaLogCommits.Version> versions = DeltaLogCommits.read(run.output());
            latencies = Visibility.deltaCommitLatencies(versions, checkpoints);
            freshness = Visibility.deltaFreshness(versions);
            lastVisible = versions.stream().filter(x -> !x.adds().isEmpty())
                    .mapToLong(DeltaLogCommits.Version::timestampMillis).max().orElse(-1);
            new DeltaTableScanner(run.output().toUri().toString(), Map.of())
                    .scan(List.of("order_id"), row -> check.accept(row.getString(0)));
        } else {
            List<FileSinkOutput.FinishedFile> files =
                    FileSinkOutput.read(run.output(), run.observer().fileSeen(), System.currentTimeMillis());
            latencies = Visibility.fileCommitLatencies(files, checkpoints);
            freshness = Visibility.fileFreshness(files);
            lastVisible = files.stream().mapToLong(FileSinkOutput.FinishedFile::visibleMillis).max().orElse(-1);
            for (FileSinkOutput.FinishedFile f : files) {
                ParquetColumns.strings(f.path(), "order_id", check::accept);
            }
        }
        r.rowsVisible = check.rows();
        r.exact = check.exact();
        r.outputCheck = check.toString();
        r.commitLatencyP50Ms = BenchStats.percentile(latencies, 50);
        r.commitLatencyP99Ms = BenchStats.percentile(latencies, 99);
        r.freshnessP50Ms = BenchStats.percentile(freshness, 50);
        r.freshnessP99Ms = BenchStats.percentile(freshness, 99);
        r.lastRowVisibleAfterLastSendMs = lastVisible < 0 ? Double.NaN : lastVisible - lastSend;
        return r;
    }

    private void awaitFirstCheckpoint(Launched run) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (!run.observer().anyCompleted()) {
            if (!run.child().process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("The streaming job did not complete a checkpoint; see " + run.child().log);
            }
            Thread.sleep(200);
        }
    }

    private void awaitVisible(Variant v, Launched run, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000 + 10 * options.checkpointIntervalMs();
        while (visibleRows(v, run) < expected) {
            if (!run.child().process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        "Not every streamed order became visible in time; see " + run.child().log);
            }
            Thread.sleep(200);
        }
    }

    private static long visibleRows(Variant v, Launched run) throws IOException {
        if (v == Variant.A) {
            return DeltaLogCommits.read(run.output()).stream().mapToLong(DeltaLogCommits.Version::rows).sum();
        }
        return FileSinkOutput.read(run.output(), Map.of(), 0).stream().mapToLong(FileSinkOutput.FinishedFile::rows).sum();
    }

    private static OutputCheck deltaCheck(Path table, String prefix, long distinct) {
        OutputCheck check = new OutputCheck(prefix, distinct);
        new DeltaTableScanner(table.toUri().toString(), Map.of())
                .scan(List.of("order_id"), row -> check.accept(row.getString(0)));
        return check;
    }

    private static OutputCheck fileCheck(List<FileSinkOutput.FinishedFile> files, String prefix, long distinct)
            throws IOException {
        OutputCheck check = new OutputCheck(prefix, distinct);
        for (FileSinkOutput.FinishedFile f : files) {
            ParquetColumns.strings(f.path(), "order_id", check::accept);
        }
        return check;
    }

    private static void check(VariantResult r, OutputCheck check) {
        r.rowsWritten = check.rows();
        r.expectedRows = check.distinct() + check.missing();
        r.exact = check.exact();
        r.outputCheck = check.toString();
    }

    private static JsonNode readReport(Path report) throws IOException {
        return Files.exists(report) ? JSON.readTree(report.toFile()) : JSON.createObjectNode();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
