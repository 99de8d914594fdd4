package io.exactlyonce.job.local;

import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the job on an embedded Flink in this JVM ({@code deploy/run-local.sh}) with the same options
 * as a cluster submission, every port on the loopback address ({@link EmbeddedFlink}). Bad options
 * fail at start with the usage, as {@link OrdersJob} does.
 */
public final class LocalJobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJobRunner.class);

    private LocalJobRunner() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = OrdersJob.parseOrPrintUsage(args);
        StreamExecutionEnvironment env = environment(config);
        OrdersPipeline.build(env, config);
        LOG.info("Running the job on an embedded Flink bound to {}", EmbeddedFlink.LOOPBACK);
        env.execute("orders-to-delta " + config.topics() + " -> " + config.tablePath());
    }

    /** The embedded environment the runner uses, configured for {@code config}. */
    public static StreamExecutionEnvironment environment(JobConfig config) {
        Configuration conf = EmbeddedFlink.loopbackOnly(OrdersJob.flinkConfiguration(config));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        OrdersJob.configure(env, config);
        return env;
    }
}
