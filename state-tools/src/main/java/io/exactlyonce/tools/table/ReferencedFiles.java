package io.exactlyonce.tools.table;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.FileStatus;

import java.util.HashSet;
import java.util.Set;

/**
 * Every data file path a Delta table's log still refers to: the {@code add} and {@code remove}
 * actions of its newest checkpoint (which keeps the tombstones of recently removed files) and of
 * every commit after it. Files removed within the table's deleted-file retention stay referenced —
 * time travel to an older version needs them.
 *
 * <p>Fails closed: a V2 checkpoint this reader does not read, or a live file (as Kernel's own log
 * replay sees it) missing from the referenced set, is an {@link IllegalStateException} — a caller
 * that deletes "unreferenced" files must not trust a partial view of the log.
 */
final class ReferencedFiles {

    private static final StructType ACTIONS = new StructType()
            .add("add", new StructType().add("path", StringType.STRING))
            .add("remove", new StructType()
                    .add("path", StringType.STRING)
                    .add("deletionTimestamp", LongType.LONG));

    private ReferencedFiles() {}

    /** The referenced paths as the log writes them (relative URIs or absolute ones). */
    static Set<String> of(Engine engine, Snapshot snapshot, DeltaLogListing log) {
        if (log.unreadableCheckpoint() != null) {
            throw new IllegalStateException("the table's newest checkpoint " + log.unreadableCheckpoint()
                    + " is a V2 checkpoint, which this tool does not read: it cannot tell which files are referenced");
        }
        Set<String> paths = new HashSet<>();
        DeltaLogActions.BatchVisitor collect = batch -> {
            ColumnVector add = batch.getColumnVector(0);
            ColumnVector remove = batch.getColumnVector(1);
            for (int row = 0; row < batch.getSize(); row++) {
                addIfPresent(paths, DeltaLogActions.string(add, 0, row));
                addIfPresent(paths, DeltaLogActions.string(remove, 0, row));
            }
        };
        DeltaLogActions.readCheckpoint(engine, log.checkpointParts(), ACTIONS, collect);
        for (FileStatus commit : log.commitsAfterCheckpoint()) {
            DeltaLogActions.readCommit(engine, commit, ACTIONS, collect);
        }
        LiveFileStats.forEachLiveFile(engine, snapshot, add -> {
            String path = add.getString(add.getSchema().indexOf("path"));
            if (!paths.contains(path)) {
                throw new IllegalStateException("the live file " + path + " of version " + snapshot.getVersion()
                        + " is not in the log files read (checkpoint " + log.checkpointVersion()
                        + " and the commits after it): the log is not understood, nothing is decided from it");
            }
        });
        return paths;
    }

    private static void addIfPresent(Set<String> paths, String path) {
        if (path != null) {
            paths.add(path);
        }
    }
}
