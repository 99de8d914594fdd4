package io.exactlyonce.deploy.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Waits, by polling the REST API, for what an upgrade needs to know: that a stop-with-savepoint
 * produced its savepoint, and that a (re)submitted job runs all its tasks and has completed
 * checkpoints since it started.
 *
 * <p>Failure cases, each a {@link FlinkRestException} naming the job and the cause: the savepoint
 * failed (the job keeps running, Flink's behaviour); the job reached a terminal state (FAILED — e.g.
 * savepoint state that maps onto no operator of the new graph —, CANCELED, FINISHED) or, with {@code
 * failOnRestart}, failed at all before its checkpoints (a refused rewind restarts the job instead of
 * failing it); the timeout passed.
 */
public final class JobWatch {

    private static final Logger LOG = LoggerFactory.getLogger(JobWatch.class);
    private static final Set<String> TERMINAL = Set.of("FAILED", "CANCELED", "FINISHED", "SUSPENDED");
    private static final Duration POLL = Duration.ofMillis(500);

    private final FlinkRestClient rest;

    public JobWatch(FlinkRestClient rest) {
        this.rest = rest;
    }

    /** Stops the job with a savepoint; returns the savepoint's location once it is complete. */
    public String stopWithSavepoint(String jobId, String targetDirectory, boolean drain, Duration timeout)
            throws IOException, InterruptedException {
        String trigger = rest.triggerStop(jobId, targetDirectory, drain);
        LOG.info("Stop-with-savepoint of job {} triggered ({}, drain={})", jobId, trigger, drain);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> location = rest.savepointResult(jobId, trigger);
            if (location.isPresent()) {
                LOG.info("Job {} stopped with savepoint {}", jobId, location.get());
                return location.get();
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new FlinkRestException("the savepoint of job " + jobId + " did not complete within " + timeout);
    }

    /**
     * Waits until the job runs all its tasks and has completed {@code checkpoints} checkpoints in this
     * run. With {@code failOnRestart}, any failure of the job before that ends the wait.
     */
    public void awaitCheckpoints(String jobId, long checkpoints, boolean failOnRestart, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String state = rest.jobState(jobId);
            if (TERMINAL.contains(state)) {
                throw new FlinkRestException("job " + jobId + " is " + state
                        + rest.rootException(jobId).map(e -> ": " + e).orElse(""));
            }
            if (failOnRestart) {
                Optional<String> failure = rest.rootException(jobId);
                if (failure.isPresent()) {
                    throw new FlinkRestException("job " + jobId + " failed before completing a checkpoint: "
                            + failure.get());
                }
            }
            if (rest.allTasksRunning(jobId) && rest.completedCheckpoints(jobId) >= checkpoints) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new FlinkRestException("job " + jobId + " did not run with " + checkpoints
                + " completed checkpoint(s) within " + timeout + " (state " + rest.jobState(jobId) + ")");
    }
}
