package io.exactlyonce.job;

import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;

/**
 * Entry point of the job: {@code flink run flink-job.jar --bootstrap-servers … --topics …
 * --table-path …}. Reads the options (see {@link JobConfig}), sets up exactly-once checkpointing,
 * state backend and restart strategy, builds the {@link OrdersPipeline} and runs it.
 */
public final class OrdersJob {

    private OrdersJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = parseOrPrintUsage(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        configure(env, config);
        OrdersPipeline.build(env, config);
        env.execute("orders-to-delta " + config.topics() + " -> " + config.tablePath());
    }

    /** The options, or the reason and the usage on stderr and the exception rethrown. */
    public static JobConfig parseOrPrintUsage(String[] args) {
        try {
            return JobConfig.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println();
            System.err.println(JobConfig.usage());
            throw e;
        }
    }

    /** Checkpointing, state backend and restart settings derived from the options. */
    public static Configuration flinkConfiguration(JobConfig config) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(config.checkpointIntervalMs()));
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                config.exactlyOnce() ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir());
        config.restoreFrom().ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, false);
        if (config.rocksDb()) {
            conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        } else {
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        }
        // rows are copied into column buffers by the sink; chained operators may pass references
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // every type on the wire and in state has its own serializer: fail at build, not with Kryo
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(60));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, config.restartAttempts());
        return conf;
    }

    /** Settings that are not plain configuration options. */
    public static void configure(StreamExecutionEnvironment env, JobConfig config) {
        env.configure(flinkConfiguration(config));
        if (config.parallelism() > 0) {
            env.setParallelism(config.parallelism());
        }
    }

}
