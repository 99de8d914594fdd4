package io.exactlyonce.deploy.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The harness's arithmetic, kept apart from any I/O so it is unit-tested: nearest-rank percentiles,
 * grouping of visibility events into commits, and the steady-state rate from a list of commits.
 *
 * <p><b>Steady-state rate.</b> Commits are sorted by time; the first commit holding rows ends the
 * start-up. The rate is the rows of every later commit divided by the time from the first to the
 * last commit: {@code (rows(total) - rows(first)) / (t(last) - t(first))}. It is undefined
 * ({@link Double#NaN}) with fewer than two commits or when they share one instant, never a guess.
 */
public final class BenchStats {

    private BenchStats() {}

    /** One point at which rows became visible: a Delta commit, a finished file, a consumer poll. */
    public record Commit(long timeMillis, long rows) {}

    /**
     * The nearest-rank percentile {@code p} (0 < p ≤ 100) of {@code values}: the smallest value that
     * at least p % of the values are less than or equal to. NaN for no values.
     */
    public static double percentile(List<? extends Number> values, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /**
     * Merges events that lie within {@code windowMillis} of the first event of their group into one
     * commit at the group's latest time (the files of one checkpoint become visible one by one, a
     * few milliseconds apart). Events without rows are dropped. Returns commits sorted by time.
     */
    public static List<Commit> group(List<Commit> events, long windowMillis) {
        List<Commit> sorted = new ArrayList<>(events);
        sorted.removeIf(c -> c.rows() <= 0);
        sorted.sort(Comparator.comparingLong(Commit::timeMillis));
        List<Commit> commits = new ArrayList<>();
        long groupStart = Long.MIN_VALUE;
        for (Commit event : sorted) {
            if (!commits.isEmpty() && event.timeMillis() - groupStart <= windowMillis) {
                Commit last = commits.remove(commits.size() - 1);
                commits.add(new Commit(event.timeMillis(), last.rows() + event.rows()));
            } else {
                groupStart = event.timeMillis();
                commits.add(event);
            }
        }
        return commits;
    }

    /** Rows per second after the first commit (see the class comment); NaN when undefined. */
    public static double steadyStateRowsPerSecond(List<Commit> commits) {
        List<Commit> sorted = group(commits, 0);
        if (sorted.size() < 2) {
            return Double.NaN;
        }
        Commit first = sorted.get(0);
        Commit last = sorted.get(sorted.size() - 1);
        long span = last.timeMillis() - first.timeMillis();
        if (span <= 0) {
            return Double.NaN;
        }
        long after = sorted.stream().mapToLong(Commit::rows).sum() - first.rows();
        return after * 1000.0 / span;
    }

    /** The time of the first commit with rows, or -1 without one. */
    public static long firstCommitMillis(List<Commit> commits) {
        return commits.stream().filter(c -> c.rows() > 0).mapToLong(Commit::timeMillis).min().orElse(-1L);
    }

    /** {@code a / b}, NaN when either is undefined or b is zero. */
    public static double ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
    }
}
