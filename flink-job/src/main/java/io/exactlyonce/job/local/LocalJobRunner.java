package io.exactlyonce.job.local;

import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Runs the job on an embedded Flink in this JVM ({@code deploy/run-local.sh}) with the same options
 * as a cluster submission, every port on the loopback address ({@link EmbeddedFlink}). Bad options
 * fail at start with the usage, as {@link OrdersJob} does. Run again after a crash, it continues from
 * the job's latest retained checkpoint ({@link ResumeDecision}).
 */
public final class LocalJobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJobRunner.class);

    private LocalJobRunner() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = OrdersJob.parseOrPrintUsage(args);
        Optional<String> retainedCheckpoint = ResumeDecision.retainedCheckpointToRestore(config);
        // a JobID fixed up front, so the run's checkpoint directory names its tables before any checkpoint
        JobID jobId = new JobID();
        JobIdentity.of(config).writeTo(config.checkpointDir(), jobId.toHexString());
        StreamExecutionEnvironment env = environment(config, runSettings(jobId, retainedCheckpoint));
        OrdersPipeline.build(env, config);
        LOG.info("Running job {} on an embedded Flink bound to {}", jobId, EmbeddedFlink.LOOPBACK);
        env.execute("orders-to-delta " + config.topics() + " -> " + config.tablePath());
    }

    /** The embedded environment the runner uses, configured for {@code config}. */
    public static StreamExecutionEnvironment environment(JobConfig config) {
        return environment(config, new Configuration());
    }

    private static StreamExecutionEnvironment environment(JobConfig config, Configuration run) {
        Configuration conf = EmbeddedFlink.loopbackOnly(OrdersJob.flinkConfiguration(config));
        conf.addAll(run);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        OrdersJob.configure(env, config);
        return env;
    }

    /**
     * The JobID of this run, and the retained checkpoint to restore (if any) in CLAIM mode: the run takes
     * over that checkpoint and discards it when its own next checkpoint subsumes it, so no later run
     * resumes from it again.
     */
    private static Configuration runSettings(JobID jobId, Optional<String> retainedCheckpoint) {
        Configuration run = new Configuration();
        run.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, jobId.toHexString());
        retainedCheckpoint.ifPresent(path -> {
            run.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            // by name: the enum is RestoreMode on Flink 1.20 and RecoveryClaimMode on Flink 2
            run.setString(StateRecoveryOptions.RESTORE_MODE.key(), "CLAIM");
        });
        return run;
    }
}
