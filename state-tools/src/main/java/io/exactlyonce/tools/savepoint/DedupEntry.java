package io.exactlyonce.tools.savepoint;

/**
 * One record of a dedup-state read (a Flink POJO, so no Kryo): a key with its first-seen Kafka
 * timestamp and its expiry timer, or — with {@link #kind} {@link #TOTALS} — the totals of the whole
 * state (number of keys in {@link #firstSeen}, number of expiry timers in {@link #timers}).
 */
public class DedupEntry {

    /** A key of the state. */
    public static final int KEY = 0;

    /** The totals record. */
    public static final int TOTALS = 1;

    public int kind;
    public String key;
    /** Kafka timestamp (ms) of the key's first occurrence; for {@link #TOTALS}, the number of keys. */
    public long firstSeen;
    /**
     * For a looked-up key, its earliest expiry timer (ms) or -1 when it has none; for {@link #TOTALS},
     * the number of expiry timers; 0 otherwise.
     */
    public long timers;
    /** Whether this key is the one asked for with {@code --key}. */
    public boolean lookedUp;

    public DedupEntry() {}

    static DedupEntry key(String key, long firstSeen, long timers, boolean lookedUp) {
        DedupEntry entry = new DedupEntry();
        entry.kind = KEY;
        entry.key = key;
        entry.firstSeen = firstSeen;
        entry.timers = timers;
        entry.lookedUp = lookedUp;
        return entry;
    }

    static DedupEntry totals(long keys, long timers) {
        DedupEntry entry = new DedupEntry();
        entry.kind = TOTALS;
        entry.firstSeen = keys;
        entry.timers = timers;
        return entry;
    }
}
