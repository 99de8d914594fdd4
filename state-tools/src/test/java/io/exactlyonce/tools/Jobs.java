package io.exactlyonce.tools;

import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Submitting the real job to the test's MiniCluster, and running the tool's command line in-process. */
public final class Jobs {

    private Jobs() {}

    /** The job's options for a test: tables under {@code dir}, 300 ms checkpoints, earliest offsets. */
    public static Map<String, String> options(String bootstrap, String topic, Path dir, String backend) {
        Map<String, String> options = new HashMap<>();
        options.put("bootstrap-servers", bootstrap);
        options.put("topics", topic);
        options.put("table-path", dir.resolve("orders").toUri().toString());
        options.put("checkpoint-dir", dir.resolve("checkpoints").toUri().toString());
        options.put("checkpoint-interval-ms", "300");
        options.put("starting-offsets", "earliest");
        options.put("state-backend", backend);
        return options;
    }

    /** Submits the job at parallelism 2, restored from {@code restoreFrom} when not null. */
    public static JobClient submit(JobConfig config, String restoreFrom, String name) throws Exception {
        Configuration conf = new Configuration();
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        OrdersJob.configure(env, config);
        env.setParallelism(2);
        OrdersPipeline.build(env, config);
        return env.executeAsync(name);
    }

    /** The outcome of one tool command line. */
    public record Result(int exitCode, String out, String err) {}

    public static Result tool(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StateTools.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }
}
