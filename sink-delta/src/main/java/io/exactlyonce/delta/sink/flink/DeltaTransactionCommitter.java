package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitResult;
import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaCommitterContext;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.RecoveryCommitter;
import io.exactlyonce.delta.sink.core.RestoreCheck;
import io.exactlyonce.delta.sink.core.SinkErrors;
import io.exactlyonce.delta.sink.core.TransientCommitException;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.types.logical.RowType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Sink V2 Delta committer: appends each sealed {@link DeltaTransaction} as one Delta commit
 * carrying {@code txn(appId, checkpointId)} through the plain-Java {@link DeltaCommitter}. Flink's
 * committer operator keeps the pending transactions in its state and calls {@link #commit} once a
 * checkpoint completes, and on restore (before any new checkpoint can complete) with the recovered
 * ones. All committables reach one subtask (the sealer's output is routed to subtask 0).
 *
 * <p>Failure cases, matching the {@code SinkFunction} sink:
 *
 * <ul>
 *   <li>Idempotence: the core committer skips a checkpoint the table already holds for its appId.
 *   <li>Transient failures are not slept on: the request is handed back with {@code retryLater},
 *       and Flink retries it (option {@code sink.committer.retries}); exhausted retries fail the
 *       job, whose restore commits again.
 *   <li>Recovered transactions (checkpoint id up to the restored one) first pass the rewind check
 *       for their appId, once per appId, then go through {@link RecoveryCommitter} (file checks,
 *       {@code allowRewind}, {@code skipCheckpointsOnRestore}).
 *   <li>Any other {@link Throwable} fails the commit, and every later commit of this task is
 *       refused: a later txn version would hide the failed one after the restore.
 * </ul>
 */
@Internal
final class DeltaTransactionCommitter implements Committer<DeltaTransaction> {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaTransactionCommitter.class);

    private final RowType rowType;
    private final DeltaSinkConfig config;
    private final long restoredCheckpointId;
    private final DeltaCommitterMetrics metrics;
    private final Map<String, RestoreCheck> restoreChecks = new HashMap<>();
    private DeltaCommitter committer;
    private boolean commitFailed;

    DeltaTransactionCommitter(
            RowType rowType, DeltaSinkConfig config, long restoredCheckpointId, MetricGroup metricGroup) {
        this.rowType = rowType;
        this.config = config;
        this.restoredCheckpointId = restoredCheckpointId;
        this.metrics = new DeltaCommitterMetrics(metricGroup);
    }

    private DeltaCommitter committer() {
        if (committer == null) {
            committer = Committers.open(config, rowType, CommitRetryPolicy.callerRetries());
        }
        return committer;
    }

    @Override
    public void commit(Collection<CommitRequest<DeltaTransaction>> requests) {
        List<CommitRequest<DeltaTransaction>> ordered = new ArrayList<>(requests);
        ordered.sort(Comparator.comparingLong(r -> r.getCommittable().checkpointId()));
        boolean retrying = false;
        for (CommitRequest<DeltaTransaction> request : ordered) {
            DeltaTransaction transaction = request.getCommittable();
            if (commitFailed) {
                throw SinkErrors.commitBlocked(transaction.checkpointId(), config.tablePath());
            }
            if (retrying) {
                request.retryLater(); // never ahead of an earlier checkpoint that is retried
                continue;
            }
            try {
                commitOne(transaction);
            } catch (TransientCommitException e) {
                LOG.warn(
                        "Retrying the commit of checkpoint {} to {} later (retry {})",
                        transaction.checkpointId(),
                        config.tablePath(),
                        request.getNumberOfRetries() + 1);
                request.retryLater();
                retrying = true;
            } catch (Throwable t) {
                // any Throwable, Errors included: no later checkpoint may commit before this one
                commitFailed = true;
                throw t;
            }
        }
    }

    private void commitOne(DeltaTransaction transaction) {
        if (transaction.checkpointId() <= restoredCheckpointId) {
            RestoreCheck check =
                    restoreChecks.computeIfAbsent(
                            transaction.appId(),
                            appId ->
                                    committer()
                                            .checkRestore(
                                                    new DeltaCommitterContext(appId),
                                                    restoredCheckpointId,
                                                    config.allowRewind()));
            new RecoveryCommitter(committer(), config)
                    .recover(transaction, check)
                    .ifPresent(metrics::committed);
            return;
        }
        config.commitListener().beforeCommit(transaction, false);
        CommitResult result = committer().commit(transaction);
        metrics.committed(result);
        config.commitListener().afterCommit(transaction, result, false);
    }

    @Override
    public void close() {}
}
