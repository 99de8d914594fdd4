package io.exactlyonce.job.reconcile;

import io.exactlyonce.job.config.JobConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Command-line check of the exactly-once promise on real data: reads the Kafka topic up to its
 * current end offsets and the orders and dead-letter tables, and reports records in Kafka, distinct
 * ids, rows, dead letters, missing and duplicated ids, and lineage mismatches. Takes the job's own
 * options (at least {@code --bootstrap-servers}, {@code --topics}, {@code --table-path}) plus
 * {@code --json}. Exit code 0 only when nothing is missing or duplicated, 1 otherwise, 2 for bad
 * options. Run it when the job has caught up with the topic (or on a stopped job).
 */
public final class ReconcileTool {

    private ReconcileTool() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        boolean json = false;
        List<String> jobArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else {
                jobArgs.add(arg);
            }
        }
        JobConfig config;
        try {
            config = JobConfig.fromArgs(jobArgs.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: reconcile --bootstrap-servers … --topics … --table-path … [--json]");
            return 2;
        }
        ReconcileReport report = reconcile(config);
        System.out.println(json ? report.toJson() : report.toText(config.tablePath(), config.deadLetterPath()));
        return report.exactlyOnce() ? 0 : 1;
    }

    public static ReconcileReport reconcile(JobConfig config) {
        KafkaTopicSnapshot kafka =
                KafkaTopicSnapshot.read(
                        config.bootstrapServers(), config.topics(), config.kafkaProperties(), config.maxRecordBytes(),
                        config.maxOrderIdBytes());
        return ReconcileReport.of(kafka, config.topics().get(0), config.tablePath(), config.deadLetterPath());
    }

}
