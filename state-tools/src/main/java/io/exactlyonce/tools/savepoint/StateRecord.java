package io.exactlyonce.tools.savepoint;

/**
 * One record of a savepoint read, whichever state it comes from (a Flink POJO holding exactly one
 * of its fields), so that every state of an {@code inspect} is read by a single Flink job.
 */
public class StateRecord {

    public DedupEntry dedup;
    public PendingTransaction transaction;
    public KafkaSplit split;

    public StateRecord() {}

    static StateRecord of(DedupEntry value) {
        StateRecord record = new StateRecord();
        record.dedup = value;
        return record;
    }

    static StateRecord of(PendingTransaction value) {
        StateRecord record = new StateRecord();
        record.transaction = value;
        return record;
    }

    static StateRecord of(KafkaSplit value) {
        StateRecord record = new StateRecord();
        record.split = value;
        return record;
    }
}
