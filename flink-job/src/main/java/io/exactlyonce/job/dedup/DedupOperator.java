package io.exactlyonce.job.dedup;

import io.exactlyonce.delta.sink.read.DeltaTableScanner;

import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.stats.StatsCountingOperator;

import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;

import java.time.Duration;
import java.util.stream.Stream;

/**
 * Keyed by {@code order_id}: the first occurrence of an id passes, later ones within the window are
 * dropped and counted ({@code duplicatesDropped} metric and the metrics table).
 *
 * <p><b>The window is data time, not wall-clock time.</b> The state of an id is the Kafka timestamp
 * of its first occurrence. A later record with the same id is a duplicate while its Kafka timestamp
 * is less than first-seen + TTL; an event-time timer at first-seen + TTL forgets the id once the
 * watermark (the Kafka timestamps the source has read, see {@link DataTime}) passes it. Nothing here
 * reads the clock, so downtime, a slow backlog or a restore from an old savepoint do not shorten the
 * window: an id stays remembered until the data has moved on by the TTL. Forgotten ids are counted in
 * the {@code idsExpired} metric (by the timer, or by a record that arrives past the window before the
 * watermark got there).
 *
 * <p>The end-of-input watermark (end of a bounded run, {@code stop --drain}) does not fire the
 * expiry timers: a savepoint taken then still remembers every id.
 *
 * <p>Upgrades: a savepoint of an earlier build holds a {@code seen} flag per id with a
 * processing-time TTL. When such state is restored, an id found there counts as seen (its duplicate
 * is dropped and the id moves to the new state, first seen at that duplicate's timestamp); the old
 * entries expire on their old wall-clock TTL. That lookup costs one extra state read per new id and
 * only happens in a job restored from such a savepoint.
 *
 * <p>State and offsets are in the same checkpoint, so after a failure both rewind together and a
 * replayed record is neither lost nor passed twice.
 */
public final class DedupOperator extends StatsCountingOperator<RowData>
        implements Triggerable<String, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    /** Keyed state: Kafka timestamp (ms) of an id's first occurrence. Part of the savepoint format. */
    public static final String FIRST_SEEN_STATE = "first-seen";

    /** Timer service of the expiry timers. Part of the savepoint format. */
    public static final String EXPIRY_TIMERS = "dedup-expiry";

    /** Keyed state of earlier builds: a "seen" flag with a processing-time TTL. */
    public static final String LEGACY_SEEN_STATE = "seen";

    private final long ttlMillis;
    private final Duration ttl;
    private final String bootstrapTable;
    private HashMap<String, String> tableConf = new HashMap<>();
    private transient boolean restored;
    /**
     * After a start without state: ids whose row the orders table holds but the metrics table has
     * not counted yet (the job died between the two tables' commits), with the row's position. When
     * the re-read record of that very row arrives it is the row itself, not a duplicate: it is
     * counted as a row (the orders table's filter drops it). At most one checkpoint's rows.
     */
    private transient Map<String, String> unCountedRows;
    private transient ValueState<Long> firstSeen;
    private transient ValueState<Boolean> legacySeen;
    private transient InternalTimerService<VoidNamespace> expiry;
    private transient Counter duplicates;
    private transient Counter expired;

    public DedupOperator(Duration ttl) {
        this(ttl, null);
    }

    /**
     * A dedup operator that, when it starts without restored state, first remembers every id the
     * orders table {@code bootstrapTable} already holds (see {@link #open()}); null for none.
     */
    public DedupOperator(Duration ttl, String bootstrapTable) {
        this.ttl = ttl;
        this.ttlMillis = ttl.toMillis();
        this.bootstrapTable = bootstrapTable;
    }

    /** The Hadoop / Kernel settings to read {@code bootstrapTable} with ({@code --table-conf}). */
    public DedupOperator readingWith(Map<String, String> conf) {
        this.tableConf = new HashMap<>(conf);
        return this;
    }

    /** The descriptor of the keyed state. */
    public static ValueStateDescriptor<Long> firstSeenDescriptor() {
        return new ValueStateDescriptor<>(FIRST_SEEN_STATE, LongSerializer.INSTANCE);
    }

    /** The descriptor of the earlier builds' state, exactly as they registered it. */
    public static ValueStateDescriptor<Boolean> legacySeenDescriptor(Duration ttl) {
        ValueStateDescriptor<Boolean> descriptor =
                new ValueStateDescriptor<>(LEGACY_SEEN_STATE, BooleanSerializer.INSTANCE);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        return descriptor;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        firstSeen = context.getKeyedStateStore().getState(firstSeenDescriptor());
        restored = context.isRestored();
        if (context.isRestored() && hasLegacyState()) {
            legacySeen = context.getKeyedStateStore().getState(legacySeenDescriptor(ttl));
            LOG.info("Restored dedup state of an earlier build ('{}'): ids found there count as seen",
                    LEGACY_SEEN_STATE);
        }
    }

    private boolean hasLegacyState() {
        KeyedStateBackend<String> backend = getKeyedStateBackend();
        try (Stream<String> keys = backend.getKeys(LEGACY_SEEN_STATE, VoidNamespace.INSTANCE)) {
            return keys.findAny().isPresent();
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        expiry = getInternalTimerService(EXPIRY_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        duplicates = getMetricGroup().counter("duplicatesDropped");
        expired = getMetricGroup().counter("idsExpired");
        unCountedRows = new java.util.HashMap<>();
        if (bootstrapTable != null && !restored) {
            rememberIdsOfTheTable();
        }
    }

    /**
     * A start without Flink state (the job resumes from its tables' positions): before the first
     * Kafka record, remember every id the orders table holds that belongs to this subtask's key
     * groups, first seen at its row's Kafka timestamp, with its expiry timer — so an id already in
     * the table that arrives again is dropped as a duplicate, as it would have been had the state
     * survived. Ids older than the window expire when the watermark passes them, as usual. The scan
     * reads two columns; it logs its progress every million ids.
     */
    private void rememberIdsOfTheTable() throws Exception {
        long start = System.nanoTime();
        var task = getRuntimeContext().getTaskInfo();
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        KeyGroupRange range =
                KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                        maxParallelism, task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
        long[] counts = new long[2];
        new DeltaTableScanner(bootstrapTable, tableConf)
                .scan(
                        List.of("order_id", "_kafka_timestamp", "_kafka_topic", "_kafka_partition", "_kafka_offset"),
                        row -> {
                            counts[0]++;
                            String id = row.getString(0);
                            if (!range.contains(KeyGroupRangeAssignment.assignToKeyGroup(id, maxParallelism))) {
                                return;
                            }
                            long kafkaMillis = Math.floorDiv(row.getLong(1), 1000L);
                            try {
                                setCurrentKey(id);
                                Long first = firstSeen.value();
                                // the latest admitted copy: an id re-admitted after its window
                                // expired counts from its newest row, as the live state did
                                if (first == null || kafkaMillis > first) {
                                    remember(kafkaMillis);
                                }
                                if (!countsEverything()
                                        && !metricsTableCounted(row.getString(2), row.getInt(3), row.getLong(4))) {
                                    unCountedRows.put(id, position(row.getString(2), row.getInt(3), row.getLong(4)));
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException("Cannot remember id " + id + " from " + bootstrapTable, e);
                            }
                            if (++counts[1] % 1_000_000 == 0) {
                                LOG.info("Dedup state from {}: {} ids remembered so far", bootstrapTable, counts[1]);
                            }
                        });
        LOG.info(
                "Started without dedup state: remembered {} of the {} ids in {} (this subtask's key groups {})"
                        + " in {} ms",
                counts[1],
                counts[0],
                bootstrapTable,
                range,
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void processElement(StreamRecord<RowData> element) throws Exception {
        RowData row = element.getValue();
        long kafkaTimestamp = row.getTimestamp(OrderSchema.KAFKA_TIMESTAMP, 3).getMillisecond();
        Long first = firstSeen.value();
        if (first != null && !unCountedRows.isEmpty() && isOwnRow(row)) {
            count(row);
            output.collect(element);
            return;
        }
        if (first != null) {
            if (kafkaTimestamp - first < ttlMillis) {
                dropDuplicate(row);
                return;
            }
            // past the window in data time before the watermark got there: a new first occurrence
            expired.inc();
        } else if (legacySeen != null && legacySeen.value() != null) {
            legacySeen.clear();
            remember(kafkaTimestamp);
            dropDuplicate(row);
            return;
        }
        remember(kafkaTimestamp);
        count(row);
        output.collect(element);
    }

    /** Counts a passed row for the metrics table, unless the metrics table already counted it. */
    private void count(RowData row) {
        if (counted(row)) {
            countRow(row);
        }
    }

    /** Whether the record is the re-read of a row the orders table holds but the metrics table did not count. */
    private boolean isOwnRow(RowData row) {
        String at = position(
                row.getString(OrderSchema.KAFKA_TOPIC).toString(),
                row.getInt(OrderSchema.KAFKA_PARTITION),
                row.getLong(OrderSchema.KAFKA_OFFSET));
        return unCountedRows.remove(row.getString(OrderSchema.ORDER_ID).toString(), at);
    }

    private static String position(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }

    private boolean counted(RowData row) {
        return countsEverything() || counts(
                row.getString(OrderSchema.KAFKA_TOPIC),
                row.getInt(OrderSchema.KAFKA_PARTITION),
                row.getLong(OrderSchema.KAFKA_OFFSET));
    }

    private void remember(long kafkaTimestamp) throws Exception {
        firstSeen.update(kafkaTimestamp);
        expiry.registerEventTimeTimer(VoidNamespace.INSTANCE, expiresAt(kafkaTimestamp));
    }

    private long expiresAt(long firstSeenMillis) {
        long at = firstSeenMillis + ttlMillis;
        return at < firstSeenMillis ? Long.MAX_VALUE - 1 : at; // a hostile timestamp near Long.MAX_VALUE
    }

    private void dropDuplicate(RowData row) {
        duplicates.inc();
        if (counted(row)) {
            stats().duplicates++;
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        Long first = firstSeen.value();
        // a later first occurrence (re-admitted past the window) has its own, later timer
        if (first != null && expiresAt(first) <= timer.getTimestamp()) {
            firstSeen.clear();
            expired.inc();
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no processing-time timers
    }

    /**
     * Forwards every watermark, but the end-of-input one ({@code Long.MAX_VALUE}, end of a bounded
     * run or {@code stop --drain}) does not fire the expiry timers: a drained savepoint keeps every id.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            output.emitWatermark(mark);
            return;
        }
        super.processWatermark(mark);
    }
}
