package io.exactlyonce.tools.table;

import io.exactlyonce.delta.sink.core.ScanFileRows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * A snapshot's live files as Kernel's scan hands them out, with their statistics: the one place the
 * tools walk them ({@link #forEachLiveFile}) and count files, bytes and rows ({@link #totals}).
 * Statistics that are not JSON fail loudly, naming the file.
 */
public final class LiveFileStats {

    /** Files, bytes, rows from the statistics, and the files (and their bytes) without a row count. */
    public record Totals(long files, long bytes, long rows, long filesWithoutRowCount, long bytesWithoutRowCount) {

        /** The rows, a file without a row count counted as one row per 32 bytes: for sizing, not for reporting. */
        public long estimatedRows() {
            return rows + bytesWithoutRowCount / 32;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveFileStats() {}

    /** Counts the snapshot's live files, bytes and rows in one scan. */
    public static Totals totals(Engine engine, Snapshot snapshot) {
        long[] totals = new long[5];
        forEachLiveFile(engine, snapshot, add -> {
            long size = add.getLong(add.getSchema().indexOf("size"));
            long count = numRecords(add);
            totals[0]++;
            totals[1] += size;
            if (count < 0) {
                totals[3]++;
                totals[4] += size;
            } else {
                totals[2] += count;
            }
        });
        return new Totals(totals[0], totals[1], totals[2], totals[3], totals[4]);
    }

    /** Calls {@code action} with the {@code add} row of every live file of the snapshot. */
    static void forEachLiveFile(Engine engine, Snapshot snapshot, Consumer<Row> action) {
        try (CloseableIterator<FilteredColumnarBatch> batches =
                snapshot.getScanBuilder().withFilter(EveryRow.of(snapshot)).build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> scanFiles = batches.next().getRows()) {
                    while (scanFiles.hasNext()) {
                        action.accept(ScanFileRows.add(scanFiles.next()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the live files of " + snapshot.getPath(), e);
        }
    }

    /** The file's row count from its statistics, or -1 when it has none. */
    private static long numRecords(Row add) {
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
}
