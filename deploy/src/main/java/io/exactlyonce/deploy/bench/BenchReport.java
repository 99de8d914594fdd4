package io.exactlyonce.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the results of one run into its folder: {@code results.json} (everything: machine, options,
 * input, every variant, the streaming phase, ratios, targets), {@code results.csv} (one line per
 * variant and parallelism), {@code streaming.csv}, and {@code summary.txt} — the table, the ratios
 * and the targets as printed at the end of the run.
 */
final class BenchReport {

    private final Map<String, Object> machine = new LinkedHashMap<>();
    private final Map<String, String> options;
    private final OrderLoader.Loaded input;
    private final List<VariantResult> results;
    private final List<StreamingResult> streaming;
    private final List<Comparisons.Ratio> ratios;
    private final List<Comparisons.Target> targets;

    BenchReport(BenchOptions options, OrderLoader.Loaded input, List<VariantResult> results,
                List<StreamingResult> streaming) {
        this.options = options.asMap();
        this.input = input;
        this.results = results;
        this.streaming = streaming;
        this.ratios = Comparisons.ratios(results);
        this.targets = Comparisons.targets(results, streaming, options.checkpointIntervalMs());
        machine.put("date", java.time.Instant.now().toString());
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("memoryBytes", totalMemory());
        machine.put("cpuModel", cpuModel());
    }

    List<Comparisons.Target> targets() {
        return targets;
    }

    void write(Path dir, PrintStream out) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("options", options);
        json.put("input", input);
        json.put("variants", results);
        json.put("streaming", streaming);
        json.put("ratios", ratios);
        json.put("targets", targets);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), json);
        writeCsv(dir.resolve("results.csv"), results.stream().map(VariantResult::row).toList());
        writeCsv(dir.resolve("streaming.csv"), streaming.stream().map(StreamingResult::row).toList());
        String summary = summary();
        Files.writeString(dir.resolve("summary.txt"), summary);
        out.print(summary);
    }

    static void writeCsv(Path file, List<Map<String, Object>> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!rows.isEmpty()) {
            lines.add(String.join(",", rows.get(0).keySet()));
        }
        for (Map<String, Object> row : rows) {
            lines.add(String.join(",", row.values().stream().map(BenchReport::cell).toList()));
        }
        Files.write(file, lines);
    }

    private static String cell(Object value) {
        if (value instanceof Double d) {
            return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(value);
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nInput: %,d records (%,d distinct orders, %,d duplicates, %,d malformed),"
                + " %d partitions, loaded in %.1f s%n", input.records(), input.distinct(), input.duplicates(),
                input.malformed(), Integer.parseInt(options.get("partitions")), input.millis() / 1000.0));
        sb.append("Machine: ").append(machine).append('\n');
        sb.append(String.format(Locale.ROOT, "%n%-3s %2s %12s %12s %10s %9s %9s %8s %9s %9s %9s %s%n",
                "var", "p", "steady rec/s", "wall rec/s", "wall s", "startup s", "CPU s/M", "heap MB",
                "commit50", "commit99", "rows", "exact"));
        for (VariantResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-3s %2d %12.0f %12.0f %10.1f %9.1f %9.1f %8.0f %9.0f %9.0f %9d %s%n",
                    r.variant, r.parallelism, r.steadyRecordsPerSecond, r.wallRecordsPerSecond, r.wallSeconds,
                    r.startupSeconds, r.cpuSecondsPerMillionRecords, r.peakHeapMb, r.commitLatencyP50Ms,
                    r.commitLatencyP99Ms, r.rowsWritten, r.exact ? "yes" : "NO: " + r.outputCheck));
        }
        if (!streaming.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nStreaming: %s orders/s for %s s%n",
                    options.get("stream-rate"), options.get("stream-seconds")));
            sb.append(String.format(Locale.ROOT, "%-3s %2s %9s %9s %9s %9s %13s %9s %s%n", "var", "p",
                    "commit50", "commit99", "fresh50", "fresh99", "last visible", "rows", "exact"));
            for (StreamingResult s : streaming) {
                sb.append(String.format(Locale.ROOT, "%-3s %2d %9.0f %9.0f %9.0f %9.0f %13.0f %9d %s%n",
                        s.variant, s.parallelism, s.commitLatencyP50Ms, s.commitLatencyP99Ms, s.freshnessP50Ms,
                        s.freshnessP99Ms, s.lastRowVisibleAfterLastSendMs, s.rowsVisible,
                        s.exact ? "yes" : "NO: " + s.outputCheck));
            }
        }
        sb.append("\nRatios (same run):\n");
        for (Comparisons.Ratio r : ratios) {
            sb.append(String.format(Locale.ROOT, "  %-8s p=%d %-26s %.2f%n", r.name(), r.parallelism(), r.figure(), r.value()));
        }
        sb.append("\nTargets (reported, not asserted):\n");
        for (Comparisons.Target t : targets) {
            sb.append(String.format(Locale.ROOT, "  %-48s %10.2f vs %8.2f %-5s %s%n", t.name(), t.value(), t.bound(),
                    t.unit(), t.met() == null ? "not measured" : t.met() ? "met" : "MISSED"));
        }
        return sb.toString();
    }

    private static long totalMemory() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
