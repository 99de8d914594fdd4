package io.exactlyonce.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

/** Tests for {@link Comparisons} and the runner's exit decision. */
class ComparisonsTest {

    private static VariantResult result(String variant, int p, double steady, double startup) {
        VariantResult r = new VariantResult();
        r.variant = variant;
        r.parallelism = p;
        r.steadyRecordsPerSecond = steady;
        r.wallRecordsPerSecond = steady / 2;
        r.cpuSecondsPerMillionRecords = 10;
        r.startupSeconds = startup;
        r.exact = true;
        return r;
    }

    @Test
    void ratiosAreToBaselinesOfTheSameParallelism() {
        List<VariantResult> results = List.of(
                result("a", 1, 50, 5), result("d", 1, 200, 1),
                result("a", 2, 90, 6), result("d", 2, 100, 1), result("b", 2, 100, 5), result("c", 2, 95, 5));
        assertThat(Comparisons.ratios(results))
                .filteredOn(r -> r.figure().equals("steady records/s"))
                .extracting(r -> r.name() + " p=" + r.parallelism() + " " + r.value())
                .containsExactly("(a)/(d) p=1 0.25", "(a)/(d) p=2 0.9", "(a)/(b) p=2 0.9",
                        "(a)/(c) p=2 0.9473684210526315");
    }

    @Test
    void targetsAreCheckedAtTheHighestParallelism() {
        List<VariantResult> results = List.of(
                result("a", 1, 10, 12), result("d", 1, 100, 1),
                result("a", 2, 61, 9), result("d", 2, 100, 1), result("b", 2, 80, 5));
        StreamingResult s = new StreamingResult();
        s.variant = "a";
        s.parallelism = 2;
        s.commitLatencyP99Ms = 6_500;
        List<Comparisons.Target> targets = Comparisons.targets(results, List.of(s), 5_000);
        assertThat(targets).extracting(t -> t.name() + " " + t.met()).containsExactly(
                "(a)/(d) steady records/s, p=2 true",
                "(a)/(b) steady records/s, p=2 false", // 61/80 < 0.85
                "(a)/(c) steady records/s, p=2 null", // (c) not run
                "(a) start to first committed row, p=1 false",
                "(a) start to first committed row, p=2 true",
                "(a) commit latency p99 (streaming), p=2 false"); // 6.5 s > 5 s + 1 s
    }

    @Test
    void theRunnerFailsWhenAnyRunWasNotExact() {
        VariantResult lossy = result("c", 1, 10, 1);
        lossy.exact = false;
        StreamingResult streamed = new StreamingResult();
        streamed.exact = true;
        assertThat(BenchRunner.allExact(List.of(result("a", 1, 10, 1)), List.of(streamed))).isTrue();
        assertThat(BenchRunner.allExact(List.of(result("a", 1, 10, 1), lossy), List.of(streamed))).isFalse();
        streamed.exact = false;
        assertThat(BenchRunner.allExact(List.of(result("a", 1, 10, 1)), List.of(streamed))).isFalse();
    }
}
