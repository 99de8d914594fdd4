package io.exactlyonce.tools.inspect;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * What {@code inspect} found in a savepoint, as JSON ({@code --json}, these records as they are)
 * or as text ({@link #print}). Timestamps are epoch milliseconds in JSON and ISO-8601 in text.
 */
public record InspectReport(
        String savepoint,
        long checkpointId,
        String uidPrefix,
        List<Operator> operators,
        Dedup dedup,
        List<Committer> committers,
        List<Split> kafkaSplits) {

    /** One operator state of the savepoint; {@code uid} is null when it is none of the job's known uids. */
    public record Operator(String uid, String operatorId, int parallelism, int maxParallelism, long stateBytes) {}

    /** The dedup operator's keyed state. */
    public record Dedup(String uid, long keys, long expiryTimers, long ttlMillis, List<Key> sample, Key lookup) {}

    /** One dedup key: first seen (Kafka timestamp), first + TTL, and its registered expiry timer (-1: none). */
    public record Key(String key, boolean found, Long firstSeen, Long expiresAt, Long timer) {}

    /** One Delta committer: appId, what its table holds for it (if the table was given), its transactions. */
    public record Committer(String uid, String appId, String table, Long lastCommittedCheckpoint,
            List<Transaction> transactions) {}

    /** One transaction of a committer; {@code open}: not sealed by a checkpoint, never committed. */
    public record Transaction(long checkpointId, boolean open, int files, long rows, long bytes) {}

    /** One Kafka partition split of the source. */
    public record Split(String topic, int partition, long offset, Long stoppingOffset) {}

    /** The report as text. */
    public void print(PrintWriter out) {
        out.printf("Savepoint %s (checkpoint %d), uid prefix '%s'%n", savepoint, checkpointId, uidPrefix);
        out.println("Operators:");
        for (Operator op : operators) {
            out.printf("  %-45s %s  parallelism %d, max parallelism %d, %d bytes%n",
                    op.uid == null ? "(not a uid of this job)" : op.uid, op.operatorId, op.parallelism,
                    op.maxParallelism, op.stateBytes);
        }
        if (dedup == null) {
            out.println("Dedup: no state");
        } else {
            out.printf("Dedup (%s): %d keys, %d expiry timers, TTL %d ms%n",
                    dedup.uid, dedup.keys, dedup.expiryTimers, dedup.ttlMillis);
            for (Key key : dedup.sample) {
                out.println("  " + describe(key));
            }
            if (dedup.lookup != null) {
                out.println("Key " + describe(dedup.lookup));
            }
        }
        for (Committer c : committers) {
            out.printf("Committer %s: appId %s, last committed checkpoint %s%n", c.uid, c.appId,
                    c.table == null ? "unknown (give the table's path)"
                            : c.lastCommittedCheckpoint == null ? "none in " + c.table
                            : c.lastCommittedCheckpoint + " in " + c.table);
            for (Transaction t : c.transactions) {
                out.printf("  %s: %d files, %d rows, %d bytes%n",
                        t.open ? "open transaction" : "pending checkpoint " + t.checkpointId, t.files, t.rows, t.bytes);
            }
            if (c.transactions.isEmpty()) {
                out.println("  no pending transactions");
            }
        }
        out.println("Kafka splits:");
        for (Split s : kafkaSplits) {
            out.printf("  %s-%d offset %d%s%n", s.topic, s.partition, s.offset,
                    s.stoppingOffset == null ? "" : ", stops at " + s.stoppingOffset);
        }
    }

    private static String describe(Key key) {
        if (!key.found) {
            return key.key + ": not in the dedup state";
        }
        return key.key + ": first seen " + Instant.ofEpochMilli(key.firstSeen) + ", expires at "
                + Instant.ofEpochMilli(key.expiresAt)
                + (key.timer == null ? "" // sampled keys: the timer is looked up for --key only
                        : key.timer < 0 ? ", no expiry timer" : ", timer " + Instant.ofEpochMilli(key.timer));
    }
}
