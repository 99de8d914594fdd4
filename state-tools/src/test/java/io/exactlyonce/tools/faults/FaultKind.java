package io.exactlyonce.tools.faults;

/** The faults a schedule draws from; stop-with-savepoint and rescaling happen between segments. */
enum FaultKind {
    /** A task fails at a random record. */
    TASK_FAILURE,
    /** The committer fails after pre-commit, when the checkpoint completed but before the commit. */
    FAIL_BEFORE_COMMIT,
    /** The committer fails after the Delta commit landed, before the notification returns. */
    FAIL_AFTER_COMMIT,
    /** A failure before the commit, then another one during the recovery commit after restore. */
    FAIL_DURING_RECOVERY,
    /** A TaskManager is lost and a replacement started. */
    TASKMANAGER_LOSS,
    /** The Kafka broker restarts mid-run. */
    BROKER_RESTART,
    /** A second job appends to the same table at the same time. */
    CONCURRENT_WRITER,
    /**
     * All Flink state is lost: the job is cancelled mid-run, its checkpoints and savepoints are
     * deleted, and it starts again with the same options (from the positions in its tables).
     */
    STATE_LOST
}
