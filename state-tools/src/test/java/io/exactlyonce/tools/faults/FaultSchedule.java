package io.exactlyonce.tools.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded fault schedule (task-failure points stay below the ~400 records the busiest source
 * subtask reads per segment, so the failure always fires): a number of segments, each run at its own parallelism (cycling 1, 2, 4,
 * 2, so every boundary is a stop-with-savepoint and a rescale) with one fault, the last ending with
 * a draining stop-with-savepoint and a final restore. The same seed always gives the same schedule.
 */
final class FaultSchedule {

    private static final int[] PARALLELISM = {1, 2, 4, 2};

    final long seed;
    final List<Segment> segments;

    private FaultSchedule(long seed, List<Segment> segments) {
        this.seed = seed;
        this.segments = segments;
    }

    static FaultSchedule of(long seed) {
        return of(seed, 3);
    }

    /**
     * Segment i of seed s gets fault kind number (3s + i) mod 8, so consecutive seeds rotate through
     * every kind (seeds 1-3 cover all eight); parallelism start and failure points are drawn from the seed.
     */
    static FaultSchedule of(long seed, int segmentCount) {
        Random random = new Random(seed);
        FaultKind[] kinds = FaultKind.values();
        int start = random.nextInt(PARALLELISM.length);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < segmentCount; i++) {
            segments.add(
                    new Segment(
                            i,
                            PARALLELISM[(start + i) % PARALLELISM.length],
                            kinds[(int) Math.floorMod(3 * seed + i, (long) kinds.length)],
                            50 + random.nextInt(250)));
        }
        return new FaultSchedule(seed, segments);
    }

    String replayCommand() {
        return "mvn -B -ntp verify -pl state-tools -am -Dtest=ExactlyOnceFaultITCase -Dfaults.seed=" + seed
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + segments;
    }

    /** One run of the job between two savepoints. */
    static final class Segment {
        final int index;
        final int parallelism;
        final FaultKind fault;
        final int failAfterRecords;

        Segment(int index, int parallelism, FaultKind fault, int failAfterRecords) {
            this.index = index;
            this.parallelism = parallelism;
            this.fault = fault;
            this.failAfterRecords = failAfterRecords;
        }

        @Override
        public String toString() {
            return "[p=" + parallelism + " " + fault
                    + (fault == FaultKind.TASK_FAILURE ? "@" + failAfterRecords : "") + "]";
        }
    }
}
