package io.exactlyonce.delta.sink.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Commits the transactions a committer recovers from a checkpoint, the same way for every Flink
 * adapter. Plain Java.
 *
 * <p>Failure cases it handles: a restore behind the table ({@link RestoreCheck#rewound()}, only
 * reached with {@code allowRewind}): the transaction's files are only verified to be live, never
 * re-added; otherwise each file is checked to exist with its recorded size before the idempotent
 * commit. A transaction that cannot be committed fails the restore, unless the sink option {@value
 * DeltaCommitter#SKIP_CHECKPOINTS_OPTION} names its checkpoint: then its files are logged at ERROR
 * and recorded by {@link QuarantineLog}, and the restore goes on without them. A {@link TransientCommitException} is
 * always passed on, for the caller to retry. The {@link
 * CommitListener} is called around each commit with {@code recovery = true}.
 */
public final class RecoveryCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryCommitter.class);

    private final DeltaCommitter committer;
    private final DeltaSinkConfig config;

    public RecoveryCommitter(DeltaCommitter committer, DeltaSinkConfig config) {
        this.committer = committer;
        this.config = config;
    }

    /**
     * Commits (or verifies) one recovered transaction after the restore {@code check}; empty when
     * the transaction was skipped and quarantined, or dropped by a sink broken for testing.
     */
    public Optional<CommitResult> recover(DeltaTransaction transaction, RestoreCheck check) {
        if (!config.recoverOnRestore()) {
            LOG.error("BROKEN FOR TESTING: dropping recovered {} of {}", transaction, config.tablePath());
            return Optional.empty();
        }
        LOG.info("Re-committing recovered {} to {}", transaction, config.tablePath());
        CommitResult result;
        try {
            config.commitListener().beforeCommit(transaction, true);
            result =
                    check.rewound()
                            ? committer.verifyRecoveredFilesLive(transaction)
                            : committer.commitRecovered(transaction);
        } catch (RuntimeException e) {
            if (e instanceof TransientCommitException
                    || !config.skipCheckpointsOnRestore().contains(transaction.checkpointId())) {
                throw e;
            }
            LOG.error(
                    "Recovered checkpoint {} of {} cannot be committed and the option '{}' names it:"
                            + " skipping it",
                    transaction.checkpointId(),
                    config.tablePath(),
                    DeltaCommitter.SKIP_CHECKPOINTS_OPTION,
                    e);
            new QuarantineLog(config.tablePath(), config.hadoopConf()).record(transaction);
            return Optional.empty();
        }
        config.commitListener().afterCommit(transaction, result, true);
        return Optional.of(result);
    }
}
