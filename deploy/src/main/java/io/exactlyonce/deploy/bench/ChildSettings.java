package io.exactlyonce.deploy.bench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the runner tells a Flink child through system properties (so the job's own options stay
 * exactly the job's): where to write the report ({@value #REPORT}), the REST port and JobID the
 * runner observes the job through ({@value #REST_PORT}, {@value #JOB_ID}), and the file whose
 * appearance stops an unbounded run ({@value #STOP_FILE}). A missing property fails at start.
 */
final class ChildSettings {

    static final String REPORT = "bench.report";
    static final String REST_PORT = "bench.restPort";
    static final String JOB_ID = "bench.jobId";
    static final String STOP_FILE = "bench.stopFile";

    /** Checkpoint statistics the REST API keeps per job: enough for every checkpoint of a run. */
    static final int CHECKPOINT_HISTORY = 100_000;

    private ChildSettings() {}

    static Path report() {
        return Path.of(required(REPORT));
    }

    /** The Flink settings the runner needs to observe the job (REST port, fixed JobID, history). */
    static Configuration flinkSettings() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, required(REST_PORT));
        conf.set(RestOptions.PORT, Integer.parseInt(required(REST_PORT)));
        conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, CHECKPOINT_HISTORY);
        conf.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, required(JOB_ID));
        return conf;
    }

    /**
     * Runs the job of a Flink child to its end ({@link #awaitEndOrStop}), writes the probe's report and
     * exits the JVM: 0 when the job finished or was stopped, 1 when it failed (the cause on stderr).
     */
    static void runAndExit(StreamExecutionEnvironment env, String jobName, ChildProbe probe) throws Exception {
        String status = "FAILED";
        try {
            status = awaitEndOrStop(env.executeAsync(jobName));
        } catch (Exception e) {
            e.printStackTrace();
        }
        probe.writeReport(report(), status, Map.of());
        System.exit(status.equals("FAILED") ? 1 : 0);
    }

    /**
     * Waits until the job ends by itself (bounded input) or the stop file appears (then cancels it);
     * returns the final status. A failed job's cause is rethrown.
     */
    static String awaitEndOrStop(JobClient client) throws Exception {
        Path stop = Path.of(required(STOP_FILE));
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        while (!result.isDone()) {
            if (Files.exists(stop)) {
                client.cancel().get(60, TimeUnit.SECONDS);
                try {
                    result.get(60, TimeUnit.SECONDS);
                } catch (Exception cancelled) {
                    // a cancelled job ends its result exceptionally
                }
                return "CANCELED";
            }
            Thread.sleep(100);
        }
        result.get();
        return "FINISHED";
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalArgumentException(
                    "System property '" + property + "' is missing: benchmark children are started by BenchRunner");
        }
        return value;
    }
}
