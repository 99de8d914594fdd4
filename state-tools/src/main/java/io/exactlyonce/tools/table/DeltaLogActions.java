package io.exactlyonce.tools.table;

import io.exactlyonce.delta.sink.core.CloseableIterators;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Reads actions out of Delta log files — JSON commits and Parquet checkpoints — through the engine's
 * public JSON and Parquet handlers, with a read schema that names only the actions and fields the
 * caller needs (the Delta protocol's action layout). Used where Kernel's public API has no call for
 * what an operator asks: tombstones, commit info, transaction ids per commit, the protocol.
 *
 * <p>A file that cannot be read fails the call ({@link UncheckedIOException} naming it): a tool that
 * decides what to delete from what it read must not go on with part of the log.
 */
final class DeltaLogActions {

    /** Receives one batch of actions: one row per action line (commit) or row (checkpoint). */
    interface BatchVisitor {
        void visit(ColumnarBatch batch) throws IOException;
    }

    private DeltaLogActions() {}

    /** Reads one JSON commit file with the given action schema. */
    static void readCommit(Engine engine, FileStatus commit, StructType schema, BatchVisitor visitor) {
        try (CloseableIterator<ColumnarBatch> batches = engine.getJsonHandler()
                .readJsonFiles(CloseableIterators.of(List.of(commit).iterator()), schema, Optional.empty())) {
            while (batches.hasNext()) {
                visitor.visit(batches.next());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Delta commit " + commit.getPath(), e);
        }
    }

    /** Reads the parts of a Parquet checkpoint with the given action schema. */
    static void readCheckpoint(Engine engine, List<FileStatus> parts, StructType schema, BatchVisitor visitor) {
        if (parts.isEmpty()) {
            return;
        }
        try (CloseableIterator<FileReadResult> results = engine.getParquetHandler()
                .readParquetFiles(CloseableIterators.of(parts.iterator()), schema, Optional.empty())) {
            while (results.hasNext()) {
                visitor.visit(results.next().getData());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Delta checkpoint " + parts.get(0).getPath(), e);
        }
    }

    /** The string at {@code row} of a struct column's child, or null where the struct or the field is null. */
    static String string(ColumnVector struct, int field, int row) {
        if (struct.isNullAt(row)) {
            return null;
        }
        ColumnVector child = struct.getChild(field);
        return child.isNullAt(row) ? null : child.getString(row);
    }

    /** The long at {@code row} of a struct column's child, or {@code absent} where null. */
    static long longValue(ColumnVector struct, int field, int row, long absent) {
        if (struct.isNullAt(row)) {
            return absent;
        }
        ColumnVector child = struct.getChild(field);
        return child.isNullAt(row) ? absent : child.getLong(row);
    }
}
