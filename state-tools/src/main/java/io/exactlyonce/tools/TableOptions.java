package io.exactlyonce.tools;

import io.exactlyonce.delta.sink.core.KernelEngines;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;

import java.util.Map;
import java.util.Optional;

/**
 * Opens the Delta tables a command is pointed at, through Delta Kernel. A table that does not exist
 * is a {@link ToolInputException} naming the option that pointed at it.
 */
public final class TableOptions {

    private TableOptions() {}

    /** The latest snapshot of the table at {@code path}, given with {@code option}. */
    public static Snapshot snapshot(Engine engine, String path, String option) {
        try {
            return TableManager.loadSnapshot(path).build(engine);
        } catch (TableNotFoundException e) {
            throw new ToolInputException(
                    "'" + option + "' " + path + " is not a Delta table (no _delta_log): check the path", e);
        }
    }

    /** The highest checkpoint id the table holds for a sink's appId, if any. */
    public static Optional<Long> lastCommittedCheckpoint(String path, String option, String appId) {
        Engine engine = KernelEngines.create(Map.of());
        return snapshot(engine, path, option).getLatestTransactionVersion(engine, appId);
    }
}
