package io.exactlyonce.tools.savepoint;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * One record of a savepoint read, whichever state it comes from (a Flink POJO holding exactly one
 * of its fields), so that every state of an {@code inspect} is read by a single Flink job.
 */
public class StateRecord {

    public DedupEntry dedup;
    public PendingTransaction transaction;
    public KafkaSplit split;

    public StateRecord() {}

    /** Wraps dedup entries. */
    static final class OfDedup implements MapFunction<DedupEntry, StateRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public StateRecord map(DedupEntry value) {
            StateRecord record = new StateRecord();
            record.dedup = value;
            return record;
        }
    }

    /** Wraps committer transactions. */
    static final class OfTransaction implements MapFunction<PendingTransaction, StateRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public StateRecord map(PendingTransaction value) {
            StateRecord record = new StateRecord();
            record.transaction = value;
            return record;
        }
    }

    /** Wraps Kafka splits. */
    static final class OfSplit implements MapFunction<KafkaSplit, StateRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public StateRecord map(KafkaSplit value) {
            StateRecord record = new StateRecord();
            record.split = value;
            return record;
        }
    }
}
