package io.exactlyonce.tools.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Row counts of a snapshot's live files from their statistics ({@code numRecords}), as Kernel's scan
 * hands them out. Statistics that are not JSON fail loudly, naming the file.
 */
public final class LiveFileStats {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveFileStats() {}

    /** The file's row count from its statistics, or -1 when it has none. */
    static long numRecords(Row add) {
        int stats = add.getSchema().indexOf("stats");
        if (stats < 0 || add.isNullAt(stats)) {
            return -1;
        }
        try {
            JsonNode numRecords = JSON.readTree(add.getString(stats)).get("numRecords");
            return numRecords == null ? -1 : numRecords.asLong();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable statistics of " + add.getString(add.getSchema().indexOf("path")), e);
        }
    }

    /**
     * The snapshot's rows: the sum of the files' row counts, a file without one counted as one row
     * per 32 bytes — an estimate for sizing, not a figure to report.
     */
    public static long estimatedRows(Engine engine, Snapshot snapshot) {
        long[] rows = {0};
        ReferencedFiles.forEachLiveFile(engine, snapshot, add -> {
            long count = numRecords(add);
            rows[0] += count >= 0 ? count : add.getLong(add.getSchema().indexOf("size")) / 32;
        });
        return rows[0];
    }
}
