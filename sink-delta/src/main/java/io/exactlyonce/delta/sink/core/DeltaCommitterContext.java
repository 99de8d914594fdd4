package io.exactlyonce.delta.sink.core;

import java.util.Objects;
import java.util.UUID;

/**
 * The committer's durable identity: the Delta application id under which it records
 * {@code txn(appId, version)} actions.
 *
 * <p>The id is a random UUID minted once, when the committer starts without restored state, and
 * kept in every checkpoint and savepoint afterwards. It is never derived from the Flink JobID (which
 * changes on every resubmission from a savepoint) nor from a subtask index. A committer that starts
 * without state therefore never inherits an older job's txn versions, so its commits (which restart
 * at small checkpoint ids) are never skipped as "already committed".
 */
public final class DeltaCommitterContext {

    private final String appId;

    public DeltaCommitterContext(String appId) {
        this.appId = Objects.requireNonNull(appId, "appId");
    }

    /** A context with a freshly minted application id. */
    public static DeltaCommitterContext mint() {
        return new DeltaCommitterContext(UUID.randomUUID().toString());
    }

    public String appId() {
        return appId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeltaCommitterContext
                && appId.equals(((DeltaCommitterContext) o).appId);
    }

    @Override
    public int hashCode() {
        return appId.hashCode();
    }

    @Override
    public String toString() {
        return "DeltaCommitterContext{appId=" + appId + '}';
    }
}
