package io.exactlyonce.job.kafka;

import io.exactlyonce.delta.sink.read.DeltaTableScanner;

import io.delta.kernel.exceptions.TableNotFoundException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Guards a start without restored state ({@code --starting-offsets committed}, no checkpoint or
 * savepoint) against an orders table that already has data.
 *
 * <p>Why: the consumer group's offsets are committed to Kafka when a checkpoint completes,
 * independently of that checkpoint's Delta commit. If the job failed after the offsets were
 * committed but before the Delta commit, a fresh start from the committed offsets skips that
 * checkpoint's records — they are in neither the table nor the rest of the topic. Restoring the last
 * retained checkpoint or savepoint is safe (the sink re-commits the pending transaction). Until the
 * table records the source position itself, a fresh committed start against a table with commits
 * after its creation is refused unless {@code '--accept-committed-offsets-gap'} acknowledges it;
 * every fresh committed start logs the risk at WARN.
 *
 * <p>Runs where the source's split enumerator is created, which Flink does exactly when no source
 * state is restored — so a recovery from a checkpoint (restart, JobManager failover with HA,
 * {@code flink run -s}) is never refused, whatever the client was given.
 */
public final class CommittedStartGuard implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommittedStartGuard.class);

    static final String ACCEPT_OPTION = "--accept-committed-offsets-gap";

    private final String tablePath;
    private final String groupId;
    private final boolean committedStart;
    private final boolean accepted;
    private final HashMap<String, String> tableConf;

    public CommittedStartGuard(String tablePath, String groupId, boolean committedStart, boolean accepted) {
        this(tablePath, groupId, committedStart, accepted, Map.of());
    }

    /** {@code tableConf}: the Hadoop / Kernel settings to read the table with ({@code --table-conf}). */
    public CommittedStartGuard(
            String tablePath, String groupId, boolean committedStart, boolean accepted, Map<String, String> tableConf) {
        this.tablePath = tablePath;
        this.groupId = groupId;
        this.committedStart = committedStart;
        this.accepted = accepted;
        this.tableConf = new HashMap<>(tableConf);
    }

    /** Called when the source starts without restored state; throws if the start is refused. */
    public void checkFreshStart() {
        if (!committedStart) {
            return;
        }
        LOG.warn("Starting without restored state from the committed offsets of consumer group '{}'"
                + " ('--starting-offsets committed'). Records of a checkpoint whose offsets were committed"
                + " but whose Delta commit did not happen are skipped; when the job ran before, restore its last"
                + " checkpoint or savepoint instead (flink run -s <path>, or '--restore-from <path>').", groupId);
        long version = tableVersion();
        if (version <= 0) {
            return;
        }
        if (accepted) {
            LOG.warn("Table {} has commits up to version {}; starting from committed offsets anyway ({} true)",
                    tablePath, version, ACCEPT_OPTION);
            return;
        }
        String message = "Refusing to start without restored state from the committed offsets of consumer group '"
                + groupId + "' ('--starting-offsets committed'): table " + tablePath + " already has commits"
                + " (version " + version + "). Kafka offsets are committed when a checkpoint completes,"
                + " independently of that checkpoint's Delta commit: if the job failed in between, starting"
                + " from them skips that checkpoint's records. Restore the last retained checkpoint or"
                + " savepoint instead (flink run -s <path>; '--restore-from <path>' for deploy/run-local.sh), or accept"
                + " the risk with '" + ACCEPT_OPTION + " true'.";
        LOG.error("{}", message);
        throw new UnsafeCommittedStartException(message);
    }

    /** The table's latest version, -1 if it does not exist yet (version 0 is its creation). */
    private long tableVersion() {
        try {
            return new DeltaTableScanner(tablePath, tableConf).snapshot().getVersion();
        } catch (TableNotFoundException e) {
            return -1;
        }
    }
}
