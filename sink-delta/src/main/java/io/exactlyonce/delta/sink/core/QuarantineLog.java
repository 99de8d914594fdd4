package io.exactlyonce.delta.sink.core;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Records the files of a checkpoint that an operator chose to skip on restore (sink option {@value
 * DeltaCommitter#SKIP_CHECKPOINTS_OPTION}), so that its rows can be recovered by hand.
 *
 * <p>A skipped transaction's files stay where the writer put them, in the table directory but in no
 * Delta version: invisible to readers and, after the table's deleted-file retention, removed by
 * VACUUM. Before anything else happens, each file is logged at ERROR and the whole transaction is
 * written as JSON lines (one line per file: appId, checkpoint id, path, size, rows, partition
 * values) to {@code <table>/_quarantine/checkpoint-<id>-<appId>.json}. Delta readers and VACUUM
 * ignore directories whose names start with an underscore, so the record outlives the files. If the
 * record cannot be written the skip fails: a skipped checkpoint is never left without a trace.
 */
public final class QuarantineLog {

    private static final Logger LOG = LoggerFactory.getLogger(QuarantineLog.class);
    private static final String DIRECTORY = "_quarantine";

    private final String tablePath;
    private final Map<String, String> hadoopConf;

    public QuarantineLog(String tablePath, Map<String, String> hadoopConf) {
        this.tablePath = tablePath;
        this.hadoopConf = hadoopConf;
    }

    /** Where skipped checkpoints of the table are recorded. */
    public static String directoryOf(String tablePath) {
        return (tablePath.endsWith("/") ? tablePath : tablePath + "/") + DIRECTORY;
    }

    /** Logs and records a skipped transaction; returns the record's location. */
    public String record(DeltaTransaction txn) {
        for (StagedFile file : txn.files()) {
            LOG.error(
                    "SKIPPED checkpoint {} (appId {}) of {}: file {} ({} rows, {} bytes, partition {})"
                            + " is not committed; its rows are not in the table",
                    txn.checkpointId(),
                    txn.appId(),
                    tablePath,
                    file.path(),
                    file.numRecords(),
                    file.sizeBytes(),
                    file.partitionValues());
        }
        String location =
                directoryOf(tablePath) + "/checkpoint-" + txn.checkpointId() + "-" + txn.appId() + ".json";
        StringBuilder lines = new StringBuilder();
        for (StagedFile file : txn.files()) {
            lines.append("{\"appId\":").append(quote(txn.appId()))
                    .append(",\"checkpointId\":").append(txn.checkpointId())
                    .append(",\"path\":").append(quote(file.path()))
                    .append(",\"sizeBytes\":").append(file.sizeBytes())
                    .append(",\"numRecords\":").append(file.numRecords())
                    .append(",\"partitionValues\":{");
            String separator = "";
            for (Map.Entry<String, String> e : file.partitionValues().entrySet()) {
                lines.append(separator).append(quote(e.getKey())).append(':')
                        .append(e.getValue() == null ? "null" : quote(e.getValue()));
                separator = ",";
            }
            lines.append("}}\n");
        }
        Path path = new Path(location);
        try {
            FileSystem fs = path.getFileSystem(KernelEngines.hadoopConfiguration(hadoopConf));
            try (FSDataOutputStream out = fs.create(path, true)) {
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot record skipped checkpoint " + txn.checkpointId() + " at " + location
                            + "; not skipping it",
                    e);
        }
        LOG.error(
                "Skipped checkpoint {} (appId {}, {} files, {} rows) of {} as the option '{}' asks;"
                        + " recorded at {}. Recover the rows by hand before VACUUM deletes the files.",
                txn.checkpointId(),
                txn.appId(),
                txn.files().size(),
                txn.numRecords(),
                tablePath,
                DeltaCommitter.SKIP_CHECKPOINTS_OPTION,
                location);
        return location;
    }

    /** A JSON string literal. */
    static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
