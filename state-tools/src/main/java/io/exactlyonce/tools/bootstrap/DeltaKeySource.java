package io.exactlyonce.tools.bootstrap;

import io.exactlyonce.delta.sink.read.DeltaTableScanner;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.source.RichSourceFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Streams the keys of a Delta table with their first-seen time, file by file through Delta
 * Kernel ({@link DeltaTableScanner}, two columns read): memory stays one Parquet batch whatever the
 * table's size. First seen is the row's timestamp column (the job's {@code _kafka_timestamp}, in
 * microseconds, as Kernel returns a TIMESTAMP) or, when {@code fixedFirstSeen} is set, that instant
 * for every key. Rows with a null key are skipped and counted. Runs at parallelism 1 (one scan);
 * logs its progress every million rows.
 */
@SuppressWarnings("deprecation") // the legacy SourceFunction: a bounded one-shot scan needs no splits
final class DeltaKeySource extends RichSourceFunction<KeyFirstSeen> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeltaKeySource.class);

    /** Accumulator: rows read from the table. */
    static final String ROWS = "rows";

    /** Accumulator: rows skipped for a null key. */
    static final String NULL_KEYS = "null-keys";

    private final String table;
    private final String keyColumn;
    private final String firstSeenColumn;
    private final Long fixedFirstSeen;
    private transient LongCounter rows;
    private transient LongCounter nullKeys;
    private volatile boolean running = true;

    DeltaKeySource(String table, String keyColumn, String firstSeenColumn, Long fixedFirstSeen) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.firstSeenColumn = firstSeenColumn;
        this.fixedFirstSeen = fixedFirstSeen;
    }

    @Override
    public void open(OpenContext openContext) {
        rows = new LongCounter();
        nullKeys = new LongCounter();
        getRuntimeContext().addAccumulator(ROWS, rows);
        getRuntimeContext().addAccumulator(NULL_KEYS, nullKeys);
    }

    @Override
    public void run(SourceContext<KeyFirstSeen> ctx) {
        List<String> columns = fixedFirstSeen == null ? List.of(keyColumn, firstSeenColumn) : List.of(keyColumn);
        new DeltaTableScanner(table, Map.of()).scan(columns, row -> {
            if (!running) {
                throw new IllegalStateException("cancelled");
            }
            rows.add(1);
            if (row.isNullAt(0)) {
                nullKeys.add(1);
                return;
            }
            long firstSeen = fixedFirstSeen != null ? fixedFirstSeen
                    : row.isNullAt(1) ? 0L : Math.floorDiv(row.getLong(1), 1000L);
            ctx.collect(new KeyFirstSeen(row.getString(0), firstSeen));
            if (rows.getLocalValue() % 1_000_000 == 0) {
                LOG.info("Read {} rows of {}", rows.getLocalValue(), table);
            }
        });
        LOG.info("Read all {} rows of {} ({} with a null key, skipped)", rows.getLocalValue(), table,
                nullKeys.getLocalValue());
    }

    @Override
    public void cancel() {
        running = false;
    }
}
