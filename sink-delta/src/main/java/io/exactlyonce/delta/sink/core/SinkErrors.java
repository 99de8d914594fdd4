package io.exactlyonce.delta.sink.core;

/**
 * Messages of the failures both Flink adapters of the sink raise the same way, in one place so the
 * two cannot drift apart.
 */
public final class SinkErrors {

    private SinkErrors() {}

    /** A later checkpoint's commit refused because an earlier one failed in this task. */
    public static DeltaCommitFailedException commitBlocked(long checkpointId, String tablePath) {
        return new DeltaCommitFailedException(
                "Not committing checkpoint "
                        + checkpointId
                        + " to "
                        + tablePath
                        + " because an earlier checkpoint's commit failed; the job restores and"
                        + " commits both in order",
                null);
    }

    /** Files that reached the committer after its last checkpoint at end of input. */
    public static IllegalStateException filesAfterLastCheckpoint(DeltaTransaction open, String tablePath) {
        return new IllegalStateException(
                open.files().size()
                        + " files ("
                        + open.numRecords()
                        + " rows) reached the Delta committer for "
                        + tablePath
                        + " after its last checkpoint and were never committed: data has"
                        + " potentially been lost. Files: "
                        + open.files());
    }
}
