package io.exactlyonce.job;

import io.exactlyonce.job.kafka.KafkaRecord;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Failure injection for demos and tests ({@code --fail-after-records}): throws once, in one
 * subtask, after that subtask has passed the given number of records. Chained directly to the
 * source, so the failure lands between checkpoints rather than behind queued barriers. "Once" is
 * per JVM, which is what the embedded runner and MiniCluster tests need.
 */
public final class FailOnceMapper implements MapFunction<KafkaRecord, KafkaRecord> {

    private static final long serialVersionUID = 1L;
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    private final long failAfterRecords;
    private transient long seen;

    public FailOnceMapper(long failAfterRecords) {
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
    public KafkaRecord map(KafkaRecord record) {
        if (++seen > failAfterRecords && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException(
                    "Injected failure after " + failAfterRecords + " records (--fail-after-records)");
        }
        return record;
    }
}
