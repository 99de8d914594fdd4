package io.exactlyonce.job.kafka;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;

import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Kafka source reader with the lost-records check around it. Splits restored from a checkpoint
 * (or assigned by the enumerator) are checked by {@link LostRecordsPolicy#check} before the consumer
 * sees them. The consumer runs with {@code auto.offset.reset=none}, so an offset that falls out of
 * range while the job reads (retention overtaking a lagging job) throws {@link
 * OffsetOutOfRangeException} in the fetcher; {@link #pollNext} turns it into the policy's failure
 * instead of Flink's generic "fetcher encountered exception". Everything else is delegated as is.
 */
final class GapCheckingKafkaReader<T> implements SourceReader<T, KafkaPartitionSplit> {

    private final SourceReader<T, KafkaPartitionSplit> delegate;
    private final LostRecordsPolicy policy;

    GapCheckingKafkaReader(SourceReader<T, KafkaPartitionSplit> delegate, LostRecordsPolicy policy) {
        this.delegate = delegate;
        this.policy = policy;
    }

    @Override
    public void addSplits(List<KafkaPartitionSplit> splits) {
        delegate.addSplits(policy.check(splits));
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        try {
            return delegate.pollNext(output);
        } catch (Exception e) {
            OffsetOutOfRangeException outOfRange = findOutOfRange(e);
            if (outOfRange == null) {
                throw e;
            }
            throw policy.outOfRange(outOfRange.offsetOutOfRangePartitions(), e);
        }
    }

    private static OffsetOutOfRangeException findOutOfRange(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OffsetOutOfRangeException) {
                return (OffsetOutOfRangeException) t;
            }
        }
        return null;
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
        return delegate.snapshotState(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public void notifyNoMoreSplits() {
        delegate.notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent sourceEvent) {
        delegate.handleSourceEvents(sourceEvent);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        delegate.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        delegate.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void pauseOrResumeSplits(Collection<String> splitsToPause, Collection<String> splitsToResume) {
        delegate.pauseOrResumeSplits(splitsToPause, splitsToResume);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
