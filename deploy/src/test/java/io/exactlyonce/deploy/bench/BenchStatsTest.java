package io.exactlyonce.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.exactlyonce.deploy.bench.BenchStats.Commit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

/** Tests for {@link BenchStats}. */
class BenchStatsTest {

    @Test
    void nearestRankPercentiles() {
        List<Long> hundred = LongStream.rangeClosed(1, 100).boxed().toList();
        assertThat(BenchStats.percentile(hundred, 50)).isEqualTo(50.0);
        assertThat(BenchStats.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(BenchStats.percentile(hundred, 100)).isEqualTo(100.0);
        // unsorted input, few values: p99 of 4 values is the largest, p50 the second smallest
        List<Long> four = List.of(400L, 100L, 300L, 200L);
        assertThat(BenchStats.percentile(four, 50)).isEqualTo(200.0);
        assertThat(BenchStats.percentile(four, 99)).isEqualTo(400.0);
        assertThat(BenchStats.percentile(four, 1)).isEqualTo(100.0);
        // rank 2.4 rounds up to the 3rd value, never down
        assertThat(BenchStats.percentile(four, 60)).isEqualTo(300.0);
        assertThat(BenchStats.percentile(List.of(7L), 99)).isEqualTo(7.0);
    }

    @Test
    void percentileOfNothingIsUndefined() {
        assertThat(BenchStats.percentile(List.of(), 50)).isNaN();
        assertThatThrownBy(() -> BenchStats.percentile(List.of(1L), 0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> BenchStats.percentile(List.of(1L), 101)).hasMessageContaining("(0, 100]");
    }

    @Test
    void steadyStateCountsTheRowsAfterTheFirstCommitOverTheTimeFromFirstToLast() {
        List<Commit> commits = List.of(
                new Commit(13_000, 300),
                new Commit(10_000, 1_000), // the first commit: start-up, not counted
                new Commit(11_000, 200));
        // (200 + 300) rows in 3 s
        assertThat(BenchStats.steadyStateRowsPerSecond(commits)).isCloseTo(500 / 3.0, within(1e-9));
        assertThat(BenchStats.firstCommitMillis(commits)).isEqualTo(10_000);
    }

    @Test
    void commitsWithoutRowsDoNotStartOrEndTheSteadyState() {
        List<Commit> commits = List.of(
                new Commit(5_000, 0), // table creation: no rows
                new Commit(10_000, 100),
                new Commit(12_000, 400),
                new Commit(20_000, 0)); // an empty commit after the end
        assertThat(BenchStats.steadyStateRowsPerSecond(commits)).isEqualTo(200.0);
        assertThat(BenchStats.firstCommitMillis(commits)).isEqualTo(10_000);
    }

    @Test
    void steadyStateIsUndefinedWithoutTwoCommits() {
        assertThat(BenchStats.steadyStateRowsPerSecond(List.of())).isNaN();
        assertThat(BenchStats.steadyStateRowsPerSecond(List.of(new Commit(1_000, 10)))).isNaN();
        assertThat(BenchStats.steadyStateRowsPerSecond(List.of(new Commit(1_000, 10), new Commit(1_000, 5)))).isNaN();
        assertThat(BenchStats.firstCommitMillis(List.of())).isEqualTo(-1);
    }

    @Test
    void eventsCloseTogetherAreOneCommitAtTheGroupsLatestTime() {
        List<Commit> files = List.of(
                new Commit(1_000, 10), new Commit(1_040, 20), new Commit(1_200, 5), // one checkpoint's files
                new Commit(2_000, 30), new Commit(2_300, 1)); // 300 ms after 2,000: a group of its own
        assertThat(BenchStats.group(files, 250)).containsExactly(
                new Commit(1_200, 35), new Commit(2_000, 30), new Commit(2_300, 1));
        // grouped, the first checkpoint's late files no longer count as steady state
        assertThat(BenchStats.steadyStateRowsPerSecond(BenchStats.group(files, 250)))
                .isCloseTo(31 * 1000.0 / 1_100, within(1e-9));
    }

    @Test
    void ratiosOfUndefinedFiguresAreUndefined() {
        assertThat(BenchStats.ratio(50, 100)).isEqualTo(0.5);
        assertThat(BenchStats.ratio(Double.NaN, 100)).isNaN();
        assertThat(BenchStats.ratio(50, 0)).isNaN();
    }
}
