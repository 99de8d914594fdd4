package io.exactlyonce.tools.savepoint;

import io.exactlyonce.tools.ToolInputException;

import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.state.api.runtime.SavepointLoader;

/**
 * Loads the {@code _metadata} of a savepoint or retained checkpoint with Flink's own reader. A path
 * that does not exist or is not a savepoint/checkpoint directory (or {@code _metadata} file) is a
 * {@link ToolInputException} naming the path, never a stack trace.
 */
public final class SavepointFiles {

    private SavepointFiles() {}

    /** The metadata at {@code path}; {@code what} names the argument in the error message. */
    public static CheckpointMetadata load(String path, String what) {
        try {
            return SavepointLoader.loadSavepointMetadata(path);
        } catch (Exception e) {
            throw new ToolInputException(
                    what + " '" + path + "' is not a savepoint or retained checkpoint (" + e.getMessage()
                            + "): pass the directory that holds its _metadata file", e);
        }
    }

    /** Whether an operator holds state, as Flink decides it: coordinator state or any non-empty subtask state. */
    public static boolean hasState(OperatorState state) {
        return state.getCoordinatorState() != null || state.getStates().stream().anyMatch(OperatorSubtaskState::hasState);
    }
}
