package io.exactlyonce.tools.reconcile;

import io.exactlyonce.job.config.JobConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code reconcile}: the command-line check of the exactly-once promise on real data. Reads the
 * Kafka topic up to its current end offsets and the orders and dead-letter tables, and reports
 * records in Kafka, distinct ids, rows, dead letters, missing and duplicated ids, and lineage
 * mismatches. Takes the job's own options (at least {@code --bootstrap-servers}, {@code --topics},
 * {@code --table-path}) plus {@code --json}. The text report ends with the positions the tables
 * recorded against the topic's end offsets (lag per partition); {@code --positions} prints only
 * that, without scanning (exit 1 if a table records a position beyond the end of its partition).
 * Exit code 0 only when nothing is missing or duplicated, 1 otherwise, 2 for bad options (the
 * option's message and the usage on stderr). Run it when the job has caught up with the topic (or
 * on a stopped job).
 */
@Command(
        name = "reconcile",
        description = "Check a topic against the job's orders and dead-letter tables: exit 0 only when no id is"
                + " missing or duplicated.")
public final class ReconcileCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..*",
            paramLabel = "JOB_OPTIONS",
            description = "the job's options (--bootstrap-servers, --topics, --table-path, …), plus --json"
                    + " (the report as JSON) or --positions (only the recorded positions against the topic's end)")
    List<String> args = new ArrayList<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return run(args, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    static int run(List<String> args, PrintWriter out, PrintWriter err) {
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
            err.println(e.getMessage());
            err.println("Usage: reconcile --bootstrap-servers … --topics … --table-path … [--json] [--positions]");
            return 2;
        }
        if (positionsOnly) {
            // cheap: the positions the tables recorded against the topic's end, no scan of either
            PositionsReport positions = PositionsReport.of(config);
            out.print(positions.toText());
            return positions.consistent() ? 0 : 1;
        }
        ReconcileReport report = reconcile(config);
        out.println(json ? report.toJson() : report.toText(config.tablePath(), config.deadLetterPath()));
        if (!json) {
            out.print(PositionsReport.of(config).toText());
        }
        return report.exactlyOnce() ? 0 : 1;
    }

    /** Reconciles the topic of {@code config} with its orders and dead-letter tables. */
    public static ReconcileReport reconcile(JobConfig config) {
        KafkaTopicSnapshot kafka =
                KafkaTopicSnapshot.read(
                        config.bootstrapServers(), config.topics(), config.kafkaProperties(), config.maxRecordBytes(),
                        config.maxOrderIdBytes());
        return ReconcileReport.of(kafka, config.topics().get(0), config.tablePath(), config.deadLetterPath());
    }
}
