package io.exactlyonce.tools.savepoint;

import io.exactlyonce.job.dedup.DedupOperator;

import org.apache.flink.api.common.functions.Function;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.api.input.operator.StateReaderOperator;
import org.apache.flink.state.api.runtime.SavepointRuntimeContext;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Reads the dedup operator's keyed state in one key-group split of a savepoint: every key of
 * {@link DedupOperator#FIRST_SEEN_STATE} with its first-seen timestamp, and the expiry timers of
 * the operator's own timer service ({@link DedupOperator#EXPIRY_TIMERS}). The State Processor API's
 * {@code KeyedStateReaderFunction} only sees the timer service of its own bootstrap operator
 * ({@code user-timers}), so this reader opens the dedup operator's one by name.
 *
 * <p>Timers are visited once per split when it opens (the timer service has no per-key lookup):
 * their count goes out as a partial {@link DedupEntry#TOTALS} record before the split's first key,
 * and the earliest timer of the looked-up key on that key's entry. Memory stays constant in the number of keys.
 */
public final class DedupStateReaderOperator
        extends StateReaderOperator<DedupStateReaderOperator.NoFunction, String, VoidNamespace, DedupEntry> {

    private static final long serialVersionUID = 1L;

    private final String lookupKey;
    private transient ValueState<Long> firstSeen;
    private transient long splitTimers;
    private transient long lookupTimer;
    private transient boolean firstKeyEmitted;

    /** {@code lookupKey}: the key to report the timer of ({@code null} for none). */
    public DedupStateReaderOperator(String lookupKey) {
        super(new NoFunction(), Types.STRING, VoidNamespaceSerializer.INSTANCE);
        this.lookupKey = lookupKey;
    }

    @Override
    public void open() throws Exception {
        super.open();
        KeyedStateBackend<String> backend = getKeyedStateBackend();
        firstSeen = backend.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, DedupOperator.firstSeenDescriptor());
        InternalTimerService<VoidNamespace> expiry = getInternalTimerService(DedupOperator.EXPIRY_TIMERS);
        lookupTimer = -1;
        expiry.forEachEventTimeTimer((namespace, timestamp) -> {
            splitTimers++;
            if (lookupKey != null && lookupKey.equals(getCurrentKey())
                    && (lookupTimer < 0 || timestamp < lookupTimer)) {
                lookupTimer = timestamp;
            }
        });
    }

    @Override
    public CloseableIterator<Tuple2<String, VoidNamespace>> getKeysAndNamespaces(SavepointRuntimeContext ctx) {
        Stream<String> keys = getKeyedStateBackend().getKeys(DedupOperator.FIRST_SEEN_STATE, VoidNamespace.INSTANCE);
        Iterator<String> it = keys.iterator();
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Tuple2<String, VoidNamespace> next() {
                return Tuple2.of(it.next(), VoidNamespace.INSTANCE);
            }

            /** The input format drops each key after reading it; reading needs no such clean-up. */
            @Override
            public void remove() {}

            @Override
            public void close() {
                keys.close();
            }
        };
    }

    @Override
    public void processElement(String key, VoidNamespace namespace, Collector<DedupEntry> out) throws Exception {
        Long first = firstSeen.value();
        if (first == null) {
            return;
        }
        if (!firstKeyEmitted) {
            firstKeyEmitted = true;
            out.collect(DedupEntry.totals(0, splitTimers));
        }
        boolean lookedUp = key.equals(lookupKey);
        DedupEntry entry = DedupEntry.key(key, first, lookedUp ? lookupTimer : 0, lookedUp);
        out.collect(entry);
    }

    /** The reader needs no user function; the base class insists on one. */
    public static final class NoFunction implements Function {
        private static final long serialVersionUID = 1L;
    }
}
