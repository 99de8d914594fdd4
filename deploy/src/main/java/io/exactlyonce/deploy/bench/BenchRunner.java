package io.exactlyonce.deploy.bench;

import io.exactlyonce.deploy.kit.KafkaBroker;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark harness ({@code deploy/bench.sh}): starts the project-managed Kafka broker, loads the
 * input once, then runs each variant ({@link Variant}) at each parallelism, one after the other, each
 * in its own child JVM with the same heap and flags; then the streaming phase of (a) and (c); writes
 * results, ratios, targets and charts to {@code <out-dir>/<timestamp>/}. With {@code --scenario
 * state-scale} it runs the {@link StateScaleScenario} instead.
 *
 * <p>A benchmark of a run that lost or duplicated records is worthless: every variant's output is
 * checked against the input, the results are written anyway, and the runner exits 1 when any run
 * was not exact. Bad options exit 2 with the option named.
 */
public final class BenchRunner {

    private BenchRunner() {}

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(options, System.out));
    }

    /** Runs the benchmark; returns 0 when every run's output was exact. */
    static int run(BenchOptions options, PrintStream out) throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path resultDir = options.outDir().resolve(stamp);
        Path workDir = resultDir.resolve("data");
        Files.createDirectories(workDir);
        out.println("Benchmark " + options.scenario() + " into " + resultDir);
        try (KafkaBroker broker = KafkaBroker.start(workDir.resolve("kafka"))) {
            KafkaTopics topics = new KafkaTopics(broker, options.partitions());
            if (options.scenario().equals("state-scale")) {
                StateScaleScenario.run(options, topics, workDir, resultDir, out);
                return 0;
            }
            return throughput(options, topics, workDir, resultDir, out);
        } finally {
            if (!options.keepData()) {
                Dirs.deleteRecursively(workDir);
            }
        }
    }

    private static int throughput(BenchOptions options, KafkaTopics topics, Path workDir, Path resultDir,
                                  PrintStream out) throws Exception {
        String topic = "orders";
        topics.create(topic);
        OrderLoader.Loaded loaded = new OrderLoader(topics.bootstrapServers(), topic, options.partitions())
                .load(options.records(), options.duplicates(), options.malformed(), options.seed(), "o");
        out.printf("Loaded %,d records (%,d distinct) in %.1f s%n", loaded.records(), loaded.distinct(),
                loaded.millis() / 1000.0);
        VariantRun runs = new VariantRun(options, topics.bootstrapServers(), workDir);
        List<VariantResult> results = new ArrayList<>();
        for (int p : options.parallelisms()) {
            for (Variant v : options.variants()) {
                out.printf("Running (%s) %s at parallelism %d ...%n", v.key, v.description, p);
                VariantResult r = runs.bounded(v, p, topic, loaded, "o");
                out.printf("  %.1f s, steady %.0f records/s, rows %,d, exact: %s%n",
                        r.wallSeconds, r.steadyRecordsPerSecond, r.rowsWritten, r.exact ? "yes" : r.outputCheck);
                results.add(r);
            }
        }
        List<StreamingResult> streaming = new ArrayList<>();
        if (options.streaming()) {
            for (Variant v : options.variants()) {
                if (v == Variant.A || v == Variant.C) {
                    out.printf("Streaming (%s) at %,d orders/s for %d s ...%n", v.key, options.streamRate(),
                            options.streamSeconds());
                    streaming.add(runs.streaming(v, options.streamParallelism(), topics));
                }
            }
        }
        BenchReport report = new BenchReport(options, loaded, results, streaming);
        report.write(resultDir, out);
        BenchCharts.throughput(results, resultDir.resolve("throughput.png"));
        if (!streaming.isEmpty()) {
            BenchCharts.latency(streaming, resultDir.resolve("latency.png"));
        }
        out.println("\nResults: " + resultDir);
        boolean exact = allExact(results, streaming);
        if (!exact) {
            out.println("FAILED: a run's output was not exactly its input (see 'exact' above); its figures mean nothing.");
        }
        return exact ? 0 : 1;
    }

    /** Whether every run wrote exactly its input: the condition for exit code 0. */
    static boolean allExact(List<VariantResult> results, List<StreamingResult> streaming) {
        return results.stream().allMatch(r -> r.exact) && streaming.stream().allMatch(s -> s.exact);
    }
}
