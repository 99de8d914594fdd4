package io.exactlyonce.deploy.kit;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Failure injection for the demo ({@code --fail-after-records}) and tests: passes records through
 * and throws once, in one subtask, after that subtask has passed the given number of records. Meant
 * to be chained right after the source (the job inserts it there, see {@code
 * OrdersPipeline.buildWithMapAfterSource}), so the failure lands between checkpoints rather than
 * behind queued barriers. "Once" is per JVM, which is what the embedded demo and MiniCluster tests
 * need; {@link #rearm()} allows the next failure.
 *
 * @param <T> the record type, passed through unchanged
 */
public final class FailOnceMapper<T> implements MapFunction<T, T> {

    private static final long serialVersionUID = 1L;
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    private final long failAfterRecords;
    private transient long seen;

    /** Fails after {@code failAfterRecords} records (0 = at the first record). */
    public FailOnceMapper(long failAfterRecords) {
        if (failAfterRecords < 0) {
            throw new IllegalArgumentException("failAfterRecords must be >= 0, was " + failAfterRecords);
        }
        this.failAfterRecords = failAfterRecords;
    }

    /** Whether the failure was injected in this JVM. */
    public static boolean hasFailed() {
        return FAILED.get();
    }

    /** Re-arms the failure (tests). */
    public static void rearm() {
        FAILED.set(false);
    }

    @Override
    public T map(T record) {
        if (++seen > failAfterRecords && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException(
                    "Injected failure after " + failAfterRecords + " records (--fail-after-records)");
        }
        return record;
    }
}
