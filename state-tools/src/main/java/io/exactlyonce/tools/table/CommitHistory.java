package io.exactlyonce.tools.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.FileStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a table's recent commits say about themselves — when, which operation, which writer, the
 * transaction ids they set (for this job's sinks: appId and Flink checkpoint id), files and rows
 * added — and the table's protocol. Read from the Delta log files ({@link DeltaLogActions}); Kernel's
 * public API exposes neither. A commit whose JSON file the log no longer holds (log cleanup) is
 * left out, not guessed.
 */
final class CommitHistory {

    /** A transaction id a commit set: {@code txn(appId, version)}. */
    record Txn(String appId, long version) {}

    /** One commit. */
    record Commit(long version, long timestamp, String operation, String engineInfo, List<Txn> txns,
            long addedFiles, long addedRows, long removedFiles) {}

    /** The table's protocol: reader and writer versions and features. */
    record Protocol(int minReaderVersion, int minWriterVersion, List<String> readerFeatures, List<String> writerFeatures) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final StructType COMMIT_ACTIONS = new StructType()
            .add("commitInfo", new StructType()
                    .add("timestamp", LongType.LONG)
                    .add("operation", StringType.STRING)
                    .add("engineInfo", StringType.STRING))
            .add("txn", new StructType().add("appId", StringType.STRING).add("version", LongType.LONG))
            .add("add", new StructType().add("path", StringType.STRING).add("stats", StringType.STRING))
            .add("remove", new StructType().add("path", StringType.STRING));

    private static final StructType PROTOCOL_ACTION = new StructType()
            .add("protocol", new StructType()
                    .add("minReaderVersion", IntegerType.INTEGER)
                    .add("minWriterVersion", IntegerType.INTEGER)
                    .add("readerFeatures", new ArrayType(StringType.STRING, true))
                    .add("writerFeatures", new ArrayType(StringType.STRING, true)));

    private CommitHistory() {}

    /** The last {@code count} commits up to {@code version}, newest first. */
    static List<Commit> lastCommits(Engine engine, DeltaLogListing log, long version, int count) {
        List<Commit> commits = new ArrayList<>();
        for (long v = version; v >= 0 && commits.size() < count; v--) {
            Optional<FileStatus> file = log.commit(v);
            if (file.isEmpty()) {
                break;
            }
            commits.add(read(engine, v, file.get()));
        }
        return commits;
    }

    private static Commit read(Engine engine, long version, FileStatus file) {
        long[] timestamp = {-1};
        String[] operation = {null};
        String[] engineInfo = {null};
        List<Txn> txns = new ArrayList<>();
        long[] counts = new long[3]; // added files, added rows, removed files
        DeltaLogActions.readCommit(engine, file, COMMIT_ACTIONS, batch -> {
            ColumnVector info = batch.getColumnVector(0);
            ColumnVector txn = batch.getColumnVector(1);
            ColumnVector add = batch.getColumnVector(2);
            ColumnVector remove = batch.getColumnVector(3);
            for (int row = 0; row < batch.getSize(); row++) {
                if (!info.isNullAt(row)) {
                    timestamp[0] = DeltaLogActions.longValue(info, 0, row, -1);
                    operation[0] = DeltaLogActions.string(info, 1, row);
                    engineInfo[0] = DeltaLogActions.string(info, 2, row);
                }
                String appId = DeltaLogActions.string(txn, 0, row);
                if (appId != null) {
                    txns.add(new Txn(appId, DeltaLogActions.longValue(txn, 1, row, -1)));
                }
                if (DeltaLogActions.string(add, 0, row) != null) {
                    counts[0]++;
                    String stats = DeltaLogActions.string(add, 1, row);
                    JsonNode records = stats == null ? null : JSON.readTree(stats).get("numRecords");
                    counts[1] += records == null ? 0 : records.asLong();
                }
                if (DeltaLogActions.string(remove, 0, row) != null) {
                    counts[2]++;
                }
            }
        });
        return new Commit(version, timestamp[0], operation[0], engineInfo[0], txns, counts[0], counts[1], counts[2]);
    }

    /** The newest protocol action of the checkpoint and the commits after it. */
    static Protocol protocol(Engine engine, DeltaLogListing log) {
        List<Protocol> seen = new ArrayList<>();
        DeltaLogActions.BatchVisitor collect = batch -> {
            ColumnVector protocol = batch.getColumnVector(0);
            for (int row = 0; row < batch.getSize(); row++) {
                if (!protocol.isNullAt(row)) {
                    seen.add(new Protocol(protocol.getChild(0).getInt(row), protocol.getChild(1).getInt(row),
                            strings(protocol.getChild(2), row), strings(protocol.getChild(3), row)));
                }
            }
        };
        DeltaLogActions.readCheckpoint(engine, log.checkpointParts(), PROTOCOL_ACTION, collect);
        for (FileStatus commit : log.commitsAfterCheckpoint()) {
            DeltaLogActions.readCommit(engine, commit, PROTOCOL_ACTION, collect);
        }
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    private static List<String> strings(ColumnVector array, int row) {
        List<String> values = new ArrayList<>();
        if (array.isNullAt(row)) {
            return values;
        }
        ArrayValue value = array.getArray(row);
        ColumnVector elements = value.getElements();
        for (int i = 0; i < value.getSize(); i++) {
            values.add(elements.getString(i));
        }
        return values;
    }
}
