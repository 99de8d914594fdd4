package io.exactlyonce.delta.sink.core;

import java.util.Optional;

/**
 * What a restored committer found when it compared the checkpoint it was restored from with what
 * the Delta table holds for its application id.
 *
 * <p>{@link #rewound()} is true when the table holds a higher checkpoint id for the appId than the
 * restored one: the job was restored from an older checkpoint or savepoint than the table. Without
 * the sink option {@value DeltaCommitter#ALLOW_REWIND_OPTION} that never gets this far (see {@link
 * TableRewindException}); with it, recovered transactions are checked file by file and the
 * committer continues under a new appId.
 */
public final class RestoreCheck {

    private final long restoredCheckpointId;
    private final Optional<Long> tableCheckpointId;

    RestoreCheck(long restoredCheckpointId, Optional<Long> tableCheckpointId) {
        this.restoredCheckpointId = restoredCheckpointId;
        this.tableCheckpointId = tableCheckpointId;
    }

    /** The id of the checkpoint or savepoint the job was restored from. */
    public long restoredCheckpointId() {
        return restoredCheckpointId;
    }

    /** The highest checkpoint id the table holds for the restored appId, if any. */
    public Optional<Long> tableCheckpointId() {
        return tableCheckpointId;
    }

    /** Whether the table is ahead of the restored state. */
    public boolean rewound() {
        return tableCheckpointId.isPresent() && tableCheckpointId.get() > restoredCheckpointId;
    }

    @Override
    public String toString() {
        return "RestoreCheck{restored=" + restoredCheckpointId + ", table="
                + tableCheckpointId.map(String::valueOf).orElse("none") + '}';
    }
}
