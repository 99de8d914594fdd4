package io.exactlyonce.job;

import io.exactlyonce.delta.sink.testutil.DeltaTableReader;

import org.apache.flink.core.execution.JobClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/** Waiting on the job in MiniCluster tests: rows committed, a cancelled job gone, its last checkpoint. */
public final class JobRuns {

    private JobRuns() {}

    /** Waits (up to 2 minutes) until the table holds at least {@code expected} rows. */
    public static void awaitRows(String table, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        long rows = -1;
        while (System.currentTimeMillis() < deadline) {
            try {
                rows = new DeltaTableReader(table).rows().size();
            } catch (RuntimeException notCreatedYet) {
                rows = -1;
            }
            if (rows >= expected) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("table " + table + " reached " + rows + " of " + expected + " rows");
    }

    /** Waits until the job has ended; a cancelled job's result completes exceptionally. */
    public static void awaitTermination(JobClient client) throws Exception {
        try {
            client.getJobExecutionResult().get();
        } catch (ExecutionException cancelled) {
            // a cancelled job completes its result exceptionally
        }
    }

    /** The newest complete ({@code _metadata} present) retained checkpoint in a job's directory. */
    public static Path latestCheckpoint(Path jobDir) throws Exception {
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint in " + jobDir));
        }
    }
}
