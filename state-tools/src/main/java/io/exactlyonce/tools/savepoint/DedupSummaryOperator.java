package io.exactlyonce.tools.savepoint;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Boils a dedup-state read down to what {@code inspect} prints, at parallelism 1: passes on the first
 * {@code sampleSize} keys and the looked-up key, adds up keys and timers, and emits one {@link
 * DedupEntry#TOTALS} record at the end. So the tool's heap holds a sample, never the whole state.
 */
public final class DedupSummaryOperator extends AbstractStreamOperator<DedupEntry>
        implements OneInputStreamOperator<DedupEntry, DedupEntry>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    private final int sampleSize;
    private transient long keys;
    private transient long timers;
    private transient int sampled;

    public DedupSummaryOperator(int sampleSize) {
        this.sampleSize = sampleSize;
    }

    @Override
    public void processElement(StreamRecord<DedupEntry> element) {
        DedupEntry entry = element.getValue();
        if (entry.kind == DedupEntry.TOTALS) {
            keys += entry.firstSeen;
            timers += entry.timers;
            return;
        }
        keys++;
        if (entry.lookedUp || sampled < sampleSize) {
            if (!entry.lookedUp) {
                sampled++;
            }
            output.collect(element);
        }
    }

    @Override
    public void endInput() {
        output.collect(new StreamRecord<>(DedupEntry.totals(keys, timers)));
    }
}
