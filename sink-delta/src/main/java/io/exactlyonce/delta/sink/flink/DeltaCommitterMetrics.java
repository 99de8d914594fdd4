package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitResult;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The committer's metrics, in the group {@code DeltaCommitter}: {@code committedFiles}, {@code
 * committedRows}, {@code committedBytes} (counters of what this task appended to the log), {@code
 * lastCommitDurationMs}, {@code secondsSinceLastSuccessfulCommit} (since start if none yet; alert
 * on it growing past a few checkpoint intervals) and {@code stagedUncommittedFiles} (files received
 * but not yet committed).
 */
@Internal
final class DeltaCommitterMetrics {

    private final Counter committedFiles;
    private final Counter committedRows;
    private final Counter committedBytes;
    private volatile long lastCommitDurationMs;
    private volatile long lastSuccessMillis;
    private volatile long uncommittedFiles;

    DeltaCommitterMetrics(MetricGroup parent) {
        MetricGroup group = parent.addGroup("DeltaCommitter");
        committedFiles = group.counter("committedFiles");
        committedRows = group.counter("committedRows");
        committedBytes = group.counter("committedBytes");
        lastSuccessMillis = System.currentTimeMillis();
        group.gauge("lastCommitDurationMs", () -> lastCommitDurationMs);
        group.gauge(
                "secondsSinceLastSuccessfulCommit",
                () -> (System.currentTimeMillis() - lastSuccessMillis) / 1000);
        group.gauge("stagedUncommittedFiles", () -> uncommittedFiles);
    }

    void fileStaged() {
        uncommittedFiles++;
    }

    void filesLeft(int count) {
        uncommittedFiles = Math.max(0, uncommittedFiles - count);
    }

    void committed(CommitResult result) {
        lastSuccessMillis = System.currentTimeMillis();
        if (result.status() == CommitResult.Status.COMMITTED) {
            committedFiles.inc(result.files());
            committedRows.inc(result.rows());
            committedBytes.inc(result.bytes());
            lastCommitDurationMs = result.durationMs();
        }
    }
}
