package io.exactlyonce.job.reconcile;

import io.exactlyonce.job.config.JobConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Command-line check of the exactly-once promise on real data: reads the Kafka topic up to its
 * current end offsets and the orders and dead-letter tables, and reports records in Kafka, distinct
 * ids, rows, dead letters, missing and duplicated ids, and lineage mismatches. Takes the job's own
 * options (at least {@code --bootstrap-servers}, {@code --topics}, {@code --table-path}) plus
 * {@code --json}. The text report ends with the positions the tables recorded against the topic's
 * end offsets (lag per partition); {@code --positions} prints only that, without scanning (exit 1
 * if a table records a position beyond the end of its partition). Exit code 0 only when nothing is
 * missing or duplicated, 1 otherwise, 2 for bad options. Run it when the job has caught up with the topic (or on a stopped job).
 */
public final class ReconcileTool {

    private ReconcileTool() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        boolean json = false;
        boolean positionsOnly = false;
        List<String> jobArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--positions")) {
                positionsOnly = true;
            } else if (arg.equals("--json")) {
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
            System.err.println("Usage: reconcile --bootstrap-servers … --topics … --table-path … [--json] [--positions]");
            return 2;
        }
        if (positionsOnly) {
            // cheap: the positions the tables recorded against the topic's end, no scan of either
            PositionsReport positions = PositionsReport.of(config);
            System.out.print(positions.toText());
            return positions.consistent() ? 0 : 1;
        }
        ReconcileReport report = reconcile(config);
        System.out.println(json ? report.toJson() : report.toText(config.tablePath(), config.deadLetterPath()));
        if (!json) {
            System.out.print(PositionsReport.of(config).toText());
        }
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
