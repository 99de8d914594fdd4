package io.exactlyonce.job.kafka;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The enumerator of a bounded Kafka source restored from a checkpoint or savepoint, made to end.
 *
 * <p>Why: the connector's restored {@code KafkaSourceEnumerator} (3.4.0) runs its one-time partition
 * discovery, finds every partition already assigned (the splits are back in the readers' state), and
 * returns on the empty change before it sets "no more splits" — so it never tells the readers that no
 * more splits come, and a bounded job restored from state reads to its stopping offsets and then waits
 * forever (FLINK-31006, FLINK-33466). A fresh start is not affected, nor is an unbounded source.
 *
 * <p>What it does: it watches the enumerator's calls on its context. When the first asynchronous call
 * (the discovery) has run its handler without starting the follow-up split initialisation (the empty
 * change), it does what the connector does after a non-empty one with discovery disabled: it signals
 * "no more splits" to every registered reader, and from then on to every reader that registers (after
 * the connector has assigned that reader's pending splits). After a non-empty change the connector
 * signals by itself and this class stays out of the way, so no reader is signalled twice.
 */
final class RestoredBoundedEnumerator implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(RestoredBoundedEnumerator.class);

    private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> delegate;
    private final WatchingContext context;

    private RestoredBoundedEnumerator(
            SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> delegate, WatchingContext context) {
        this.delegate = delegate;
        this.context = context;
    }

    /** The connector's restored enumerator; for a bounded source, wrapped so that it ends. */
    static SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restore(
            KafkaSource<?> kafka, SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state)
            throws Exception {
        if (kafka.getBoundedness() != Boundedness.BOUNDED) {
            return kafka.restoreEnumerator(context, state);
        }
        WatchingContext watching = new WatchingContext(context);
        return new RestoredBoundedEnumerator(kafka.restoreEnumerator(watching, state), watching);
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        delegate.handleSplitRequest(subtaskId, requesterHostname);
    }

    @Override
    public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
        delegate.addSplitsBack(splits, subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        delegate.addReader(subtaskId);
        if (context.noMoreSplits) {
            context.signalNoMoreSplits(subtaskId);
        }
    }

    @Override
    public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
        return delegate.snapshotState(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        delegate.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
        delegate.handleSourceEvent(subtaskId, sourceEvent);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    /** The enumerator's context, noting its asynchronous calls; everything else passes through. */
    private static final class WatchingContext implements SplitEnumeratorContext<KafkaPartitionSplit> {

        private final SplitEnumeratorContext<KafkaPartitionSplit> context;
        /** Asynchronous calls made so far (all from the coordinator thread). */
        private int asyncCalls;
        /** Set once the discovery found nothing new: the readers get "no more splits" from here on. */
        private boolean noMoreSplits;

        WatchingContext(SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.context = context;
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
            int call = ++asyncCalls;
            context.callAsync(callable, (result, failure) -> {
                int before = asyncCalls;
                handler.accept(result, failure);
                if (call == 1 && failure == null && asyncCalls == before) {
                    noMoreSplits = true;
                    LOG.info("Restored bounded Kafka source: no new partitions, so no more splits; signalling it to"
                            + " readers {} and to every reader that registers later (FLINK-31006)",
                            context.registeredReaders().keySet());
                    for (int reader : context.registeredReaders().keySet()) {
                        context.signalNoMoreSplits(reader);
                    }
                }
            });
        }

        @Override
        public <T> void callAsync(
                Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelayMs, long periodMs) {
            ++asyncCalls;
            context.callAsync(callable, handler, initialDelayMs, periodMs);
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
            context.sendEventToSourceReader(subtaskId, event);
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
            context.sendEventToSourceReader(subtaskId, attemptNumber, event);
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return context.registeredReaders();
        }

        @Override
        public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            return context.registeredReadersOfAttempts();
        }

        @Override
        public void assignSplits(SplitsAssignment<KafkaPartitionSplit> newSplitAssignments) {
            context.assignSplits(newSplitAssignments);
        }

        @Override
        public void assignSplit(KafkaPartitionSplit split, int subtask) {
            context.assignSplit(split, subtask);
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            context.runInCoordinatorThread(runnable);
        }

        @Override
        public void setIsProcessingBacklog(boolean isProcessingBacklog) {
            context.setIsProcessingBacklog(isProcessingBacklog);
        }
    }
}
