package io.exactlyonce.tools.bootstrap;

import io.exactlyonce.job.dedup.DedupOperator;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.api.output.SnapshotUtils;
import org.apache.flink.state.api.output.TaggedOperatorSubtaskState;
import org.apache.flink.state.api.runtime.VoidTriggerable;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes the dedup operator's keyed state for one key-group range of a new savepoint, exactly as
 * {@link DedupOperator} keeps it: {@link DedupOperator#FIRST_SEEN_STATE} (the descriptor and
 * serializer of {@link DedupOperator#firstSeenDescriptor()}) per key, and one event-time timer at
 * first seen + TTL in the operator's own timer service {@link DedupOperator#EXPIRY_TIMERS}, so the
 * restored job forgets the key when its watermark passes the window, as if it had seen the key
 * itself. (The State Processor API's {@code KeyedStateBootstrapFunction} can only register timers
 * in a timer service named {@code user-timers}, which the job never reads; hence this operator.)
 *
 * <p>A key that occurs more than once keeps its latest first-seen time (the newest admitted copy,
 * as the job's own start-from-table bootstrap does), and only that time's timer; a {@link
 * SeenKeysFilter} spares the state read for keys certainly not written before. At end of input
 * it snapshots its state the way the State Processor API's own bootstrap operators do.
 */
final class DedupBootstrapOperator extends AbstractStreamOperator<TaggedOperatorSubtaskState>
        implements OneInputStreamOperator<KeyFirstSeen, TaggedOperatorSubtaskState>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    private final long ttlMillis;
    private final long expectedKeys;
    private final long savepointTimestamp;
    private final Path savepointPath;
    private transient ValueState<Long> firstSeen;
    private transient InternalTimerService<VoidNamespace> expiry;
    private transient SeenKeysFilter written;

    DedupBootstrapOperator(long ttlMillis, long expectedKeys, long savepointTimestamp, Path savepointPath) {
        this.ttlMillis = ttlMillis;
        this.expectedKeys = expectedKeys;
        this.savepointTimestamp = savepointTimestamp;
        this.savepointPath = savepointPath;
    }

    @Override
    public void open() throws Exception {
        super.open();
        firstSeen = getPartitionedState(DedupOperator.firstSeenDescriptor());
        expiry = getInternalTimerService(
                DedupOperator.EXPIRY_TIMERS, VoidNamespaceSerializer.INSTANCE, VoidTriggerable.instance());
        written = new SeenKeysFilter(expectedKeys);
    }

    @Override
    public void processElement(StreamRecord<KeyFirstSeen> element) throws Exception {
        long seen = element.getValue().firstSeen;
        if (!written.addAndCheck(element.getValue().key)) { // certainly the key's first row
            firstSeen.update(seen);
            expiry.registerEventTimeTimer(VoidNamespace.INSTANCE, expiresAt(seen));
            return;
        }
        Long first = firstSeen.value();
        if (first != null && first >= seen) {
            return;
        }
        if (first != null) {
            expiry.deleteEventTimeTimer(VoidNamespace.INSTANCE, expiresAt(first));
        }
        firstSeen.update(seen);
        expiry.registerEventTimeTimer(VoidNamespace.INSTANCE, expiresAt(seen));
    }

    /** The job's expiry rule: first seen + TTL, saturated for a timestamp near Long.MAX_VALUE. */
    private long expiresAt(long firstSeenMillis) {
        long at = firstSeenMillis + ttlMillis;
        return at < firstSeenMillis ? Long.MAX_VALUE - 1 : at;
    }

    @Override
    public void endInput() throws Exception {
        var task = getContainingTask().getConfiguration();
        TaggedOperatorSubtaskState state =
                SnapshotUtils.snapshot(
                        this,
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        savepointTimestamp,
                        task.isExactlyOnceCheckpointMode(),
                        task.isUnalignedCheckpointsEnabled(),
                        task.getConfiguration(),
                        savepointPath);
        output.collect(new StreamRecord<>(state));
    }
}
