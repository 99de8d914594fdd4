package io.exactlyonce.deploy.demo;

import io.exactlyonce.delta.sink.read.DeltaTableScanner;
import io.exactlyonce.deploy.kit.FailOnceMapper;
import io.exactlyonce.deploy.kit.KafkaBroker;
import io.exactlyonce.deploy.kit.OrderGenerator;
import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;
import io.exactlyonce.job.local.EmbeddedFlink;
import io.exactlyonce.tools.reconcile.ReconcileCommand;
import io.exactlyonce.tools.reconcile.ReconcileReport;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-command demo: starts a Kafka broker owned by the demo (loopback, own data directory),
 * produces orders with duplicates and malformed records, runs the job on an embedded Flink with the
 * Web UI on localhost, shows progress from the committed metrics table, and ends with a
 * reconciliation of the tables against what was produced. Exit code 0 only for an exact match.
 */
public final class DemoRunner {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("records", "200000");
        DEFAULTS.put("duplicates", "0.10");
        DEFAULTS.put("malformed", "0.005");
        DEFAULTS.put("partitions", "3");
        DEFAULTS.put("parallelism", "2");
        DEFAULTS.put("checkpoint-interval-ms", "5000");
        DEFAULTS.put("fail-after-records", "-1");
        DEFAULTS.put("state-backend", "rocksdb");
        DEFAULTS.put("data-dir", "demo-data");
        DEFAULTS.put("web-ui-port", "8081");
        DEFAULTS.put("seed", "42");
    }

    private DemoRunner() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Runs the demo, printing to {@code out}; returns 0 only for an exact reconciliation. */
    public static int run(String[] args, java.io.PrintStream out) throws Exception {
        Map<String, String> options = parse(args);
        long failAfterRecords = wholeNumber(options, "fail-after-records");
        long records = Long.parseLong(options.get("records"));
        int partitions = Integer.parseInt(options.get("partitions"));
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runDir = Paths.get(options.get("data-dir")).toAbsolutePath().resolve("run-" + runId);
        Files.createDirectories(runDir);
        out.println("Demo run " + runId + " in " + runDir);

        long start = System.nanoTime();
        try (KafkaBroker broker = KafkaBroker.start(runDir.resolve("kafka"))) {
            out.printf("Kafka broker ready at %s (%.1f s)%n", broker.bootstrapServers(), seconds(start));
            String topic = "orders";
            broker.createTopic(topic, partitions);

            long produceStart = System.nanoTime();
            OrderGenerator.Produced produced =
                    new OrderGenerator(
                                    Long.parseLong(options.get("seed")),
                                    Double.parseDouble(options.get("duplicates")),
                                    Double.parseDouble(options.get("malformed")),
                                    1 << 20)
                            .produce(broker.bootstrapServers(), topic, partitions, records, "order-");
            out.printf("Produced %s in %.1f s%n", produced, seconds(produceStart));

            Map<String, String> job = new HashMap<>();
            job.put("bootstrap-servers", broker.bootstrapServers());
            job.put("topics", topic);
            job.put("table-path", runDir.resolve("tables/orders").toUri().toString());
            job.put("checkpoint-dir", runDir.resolve("checkpoints").toUri().toString());
            job.put("checkpoint-interval-ms", options.get("checkpoint-interval-ms"));
            job.put("bounded", "true");
            job.put("starting-offsets", "earliest");
            job.put("state-backend", options.get("state-backend"));
            job.put("parallelism", options.get("parallelism"));
            job.put("restart-attempts", "3");
            JobConfig config = JobConfig.fromMap(job);

            Configuration flink = EmbeddedFlink.loopbackOnly(OrdersJob.flinkConfiguration(config));
            flink.set(RestOptions.PORT, Integer.parseInt(options.get("web-ui-port")));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
            OrdersJob.configure(env, config);
            if (failAfterRecords >= 0) {
                OrdersPipeline.buildWithMapAfterSource(env, config, new FailOnceMapper<>(failAfterRecords), sink -> {});
            } else {
                OrdersPipeline.build(env, config);
            }

            long jobStart = System.nanoTime();
            JobClient client = env.executeAsync("orders-to-delta demo");
            out.println("Flink log: " + System.getProperty("java.io.tmpdir") + "/exactly-once-delta/flink-local.log");
            out.println("Flink Web UI: http://" + EmbeddedFlink.LOOPBACK + ":" + options.get("web-ui-port")
                    + "   (job " + client.getJobID() + ")");
            JobStatus status = awaitWithProgress(client, config, produced.records, out);
            double jobSeconds = seconds(jobStart);
            out.printf("Job %s in %.1f s: %,.0f records/s%n", status, jobSeconds, produced.records / jobSeconds);
            if (status != JobStatus.FINISHED) {
                client.getJobExecutionResult().get();
            }

            ReconcileReport result = ReconcileCommand.reconcile(config);
            out.println(result.toText(config.tablePath(), config.deadLetterPath()));
            boolean matchesProduced =
                    result.kafkaRecords == produced.records
                            && result.distinctIds == produced.distinctIds.size()
                            && result.malformedInKafka == produced.malformed.size();
            if (!matchesProduced) {
                out.println("  the topic does not hold what the demo produced: " + produced);
            }
            out.println("  metrics table           " + config.metricsPath());
            out.printf("Total wall time %.1f s%n", seconds(start));
            return result.ok() && matchesProduced ? 0 : 1;
        }
    }

    private static JobStatus awaitWithProgress(
            JobClient client, JobConfig config, long produced, java.io.PrintStream out) throws Exception {
        DeltaTableScanner metrics = new DeltaTableScanner(config.metricsPath(), Map.of());
        List<String> columns = List.of("checkpoint_id", "rows", "duplicates_dropped", "dead_letters");
        java.util.concurrent.CompletableFuture<org.apache.flink.api.common.JobExecutionResult> result =
                client.getJobExecutionResult();
        while (!result.isDone()) {
            String status;
            try {
                status = client.getJobStatus().get().toString();
            } catch (Exception finishing) {
                status = "FINISHING";
            }
            printProgress(metrics, columns, produced, status, out);
            Thread.sleep(Duration.ofSeconds(2).toMillis());
        }
        JobStatus status = result.isCompletedExceptionally() ? JobStatus.FAILED : JobStatus.FINISHED;
        printProgress(metrics, columns, produced, status.toString(), out);
        return status;
    }

    private static void printProgress(
            DeltaTableScanner metrics, List<String> columns, long produced, String status, java.io.PrintStream out) {
        long[] sums = new long[4];
        try {
            metrics.scan(columns, row -> {
                sums[0] = Math.max(sums[0], row.getLong(0));
                sums[1] += row.getLong(1);
                sums[2] += row.getLong(2);
                sums[3] += row.getLong(3);
            });
        } catch (RuntimeException tableNotYetCreated) {
            // the sink creates the table when the job starts
        }
        long read = sums[1] + sums[2] + sums[3];
        out.printf(
                "[%s] records read (committed) %,d / %,d | rows committed %,d | duplicates dropped %,d | dead letters %,d | last checkpoint %d%n",
                status, read, produced, sums[1], sums[2], sums[3], sums[0]);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key == null || !DEFAULTS.containsKey(key) || i + 1 >= args.length) {
                System.err.println("Unknown or incomplete demo option '" + args[i] + "'. Demo options and defaults:");
                DEFAULTS.forEach((k, v) -> System.err.println("  --" + k + " " + v));
                throw new IllegalArgumentException("Invalid demo option '" + args[i] + "'");
            }
            options.put(key, args[++i]);
        }
        return options;
    }

    private static long wholeNumber(Map<String, String> options, String key) {
        String value = options.get(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "Invalid demo option '--" + key + "': must be a whole number (-1 = never), was '" + value + "'");
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
