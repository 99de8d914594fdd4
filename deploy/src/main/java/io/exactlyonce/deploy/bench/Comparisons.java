package io.exactlyonce.deploy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The comparative figures of one run, each a ratio to a baseline measured in the same run, and the
 * issue's targets checked against them (reported, never asserted): (a) ≥ 60 % of (d) in steady
 * state at the highest parallelism, (a) ≥ 85 % of (b), (a) ≥ 90 % of (c), command start to first
 * committed row ≤ 10 s, commit latency p99 ≤ checkpoint interval + 1 s (streaming phase).
 */
final class Comparisons {

    /** One ratio: {@code numerator / denominator} of a figure at a parallelism. */
    public record Ratio(String name, int parallelism, String figure, double value) {}

    /** One target: the measured value, the bound, and whether it is met (null when not measured). */
    public record Target(String name, double value, double bound, String unit, Boolean met) {}

    private Comparisons() {}

    static List<Ratio> ratios(List<VariantResult> results) {
        List<Ratio> ratios = new ArrayList<>();
        for (int p : results.stream().map(r -> r.parallelism).distinct().sorted().toList()) {
            Optional<VariantResult> a = find(results, "a", p);
            if (a.isEmpty()) {
                continue;
            }
            for (String base : List.of("d", "b", "c")) {
                find(results, base, p).ifPresent(b -> {
                    ratios.add(new Ratio("(a)/(" + base + ")", p, "steady records/s",
                            BenchStats.ratio(a.get().steadyRecordsPerSecond, b.steadyRecordsPerSecond)));
                    ratios.add(new Ratio("(a)/(" + base + ")", p, "records/s start to exit",
                            BenchStats.ratio(a.get().wallRecordsPerSecond, b.wallRecordsPerSecond)));
                    ratios.add(new Ratio("(a)/(" + base + ")", p, "CPU s per million records",
                            BenchStats.ratio(a.get().cpuSecondsPerMillionRecords, b.cpuSecondsPerMillionRecords)));
                });
            }
        }
        return ratios;
    }

    static List<Target> targets(List<VariantResult> results, List<StreamingResult> streaming, long intervalMs) {
        List<Target> targets = new ArrayList<>();
        int top = results.stream().mapToInt(r -> r.parallelism).max().orElse(0);
        targets.add(steady(results, "d", top, 0.60));
        targets.add(steady(results, "b", top, 0.85));
        targets.add(steady(results, "c", top, 0.90));
        results.stream().filter(r -> r.variant.equals("a")).forEach(a ->
                targets.add(new Target("(a) start to first committed row, p=" + a.parallelism,
                        a.startupSeconds, 10, "s", Double.isNaN(a.startupSeconds) ? null : a.startupSeconds <= 10)));
        double bound = intervalMs + 1000;
        streaming.stream().filter(s -> s.variant.equals("a")).forEach(s ->
                targets.add(new Target("(a) commit latency p99 (streaming), p=" + s.parallelism,
                        s.commitLatencyP99Ms, bound, "ms",
                        Double.isNaN(s.commitLatencyP99Ms) ? null : s.commitLatencyP99Ms <= bound)));
        return targets;
    }

    private static Target steady(List<VariantResult> results, String base, int p, double bound) {
        double value = BenchStats.ratio(
                find(results, "a", p).map(r -> r.steadyRecordsPerSecond).orElse(Double.NaN),
                find(results, base, p).map(r -> r.steadyRecordsPerSecond).orElse(Double.NaN));
        return new Target("(a)/(" + base + ") steady records/s, p=" + p, value, bound, "ratio",
                Double.isNaN(value) ? null : value >= bound);
    }

    private static Optional<VariantResult> find(List<VariantResult> results, String variant, int p) {
        return results.stream().filter(r -> r.variant.equals(variant) && r.parallelism == p).findFirst();
    }
}
