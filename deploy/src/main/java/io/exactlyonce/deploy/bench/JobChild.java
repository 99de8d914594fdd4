package io.exactlyonce.deploy.bench;

import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;
import io.exactlyonce.job.local.LocalJobRunner;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;


/**
 * Benchmark child for variants (a) and (b) and the state-scale scenario: the job itself, built as
 * {@code deploy/run-local.sh} builds it ({@link LocalJobRunner#environment} and
 * {@link OrdersPipeline#build} over the job's options, given as arguments), plus only what the
 * runner needs to observe it ({@link ChildSettings}). Writes its {@link ChildProbe} report at the
 * end; a failed job is reported with status FAILED and exit code 1.
 */
public final class JobChild {

    private JobChild() {}

    public static void main(String[] args) throws Exception {
        ChildProbe probe = ChildProbe.start();
        JobConfig config = OrdersJob.parseOrPrintUsage(args);
        StreamExecutionEnvironment env = LocalJobRunner.environment(config);
        env.configure(ChildSettings.flinkSettings());
        OrdersPipeline.build(env, config);
        ChildSettings.runAndExit(env, "bench orders-to-delta " + config.topics(), probe);
    }
}
