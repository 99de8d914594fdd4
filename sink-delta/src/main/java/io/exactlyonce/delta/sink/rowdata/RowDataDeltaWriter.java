package io.exactlyonce.delta.sink.rowdata;

import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.ParquetFileStream;
import io.exactlyonce.delta.sink.core.PartitionValues;
import io.exactlyonce.delta.sink.core.StagedFile;

import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.StructType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a stream of {@link RowData} rows into Parquet files inside a Delta table's directory,
 * one open file stream per partition, and stages the closed files on {@link #flush()}.
 *
 * <p>Rows are routed by their partition values to a {@link ParquetFileStream} (Hive-style
 * partition directory, files rolled by Kernel at the target size). At most {@code
 * maxOpenPartitions} streams are open at once: opening one more closes the least recently used
 * partition's file early; its files are staged with the next flush. {@link #flush()} (called at
 * the checkpoint barrier and at end of input) closes every open file and returns all files closed
 * since the previous flush. {@link #close()} aborts whatever is open; those files never reach the
 * Delta log (orphans for Delta {@code VACUUM}).
 */
@Internal
public final class RowDataDeltaWriter implements AutoCloseable {

    private static final Object UNPARTITIONED = new Object();
    private static final int QUEUE_CAPACITY = 4;

    private final Engine engine;
    private final Row transactionState;
    private final RowType rowType;
    private final StructType schema;
    private final StructType dataSchema;
    private final int batchRows;
    private final long batchBytes;
    private final int maxOpenPartitions;
    private final int[] partitionPositions;
    private final DataType[] partitionTypes;
    private final RowData.FieldGetter[] partitionGetters;
    private final List<String> partitionColumns;
    private final ExecutorService executor;

    private final LinkedHashMap<Object, OpenPartition> open = new LinkedHashMap<>(16, 0.75f, true);
    private final List<StagedFile> closedFiles = new ArrayList<>();
    private Object lastKey;
    private OpenPartition lastPartition;

    public RowDataDeltaWriter(
            Engine engine,
            Row transactionState,
            RowType rowType,
            StructType schema,
            List<String> partitionColumns,
            int batchRows,
            int maxOpenPartitions,
            String threadNamePrefix) {
        this(engine, transactionState, rowType, schema, partitionColumns, batchRows,
                DeltaSinkConfig.DEFAULT_BATCH_BYTES, maxOpenPartitions, threadNamePrefix);
    }

    public RowDataDeltaWriter(
            Engine engine,
            Row transactionState,
            RowType rowType,
            StructType schema,
            List<String> partitionColumns,
            int batchRows,
            long batchBytes,
            int maxOpenPartitions,
            String threadNamePrefix) {
        this.batchBytes = batchBytes;
        this.engine = engine;
        this.transactionState = transactionState;
        this.rowType = rowType;
        this.schema = schema;
        this.partitionColumns = List.copyOf(partitionColumns);
        this.dataSchema = DeltaCommitter.dataSchemaOf(schema, partitionColumns);
        this.batchRows = batchRows;
        this.maxOpenPartitions = maxOpenPartitions;
        int n = partitionColumns.size();
        this.partitionPositions = new int[n];
        this.partitionTypes = new DataType[n];
        this.partitionGetters = new RowData.FieldGetter[n];
        for (int i = 0; i < n; i++) {
            int pos = rowType.getFieldIndex(partitionColumns.get(i));
            partitionPositions[i] = pos;
            partitionTypes[i] = schema.at(pos).getDataType();
            partitionGetters[i] = RowData.createFieldGetter(rowType.getTypeAt(pos), pos);
        }
        AtomicInteger threads = new AtomicInteger();
        this.executor =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, threadNamePrefix + "-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
    }

    public void write(RowData row) throws Exception {
        Object key = partitionKey(row);
        OpenPartition partition;
        if (lastPartition != null && key.equals(lastKey)) {
            partition = lastPartition;
        } else {
            partition = open.get(key);
            if (partition == null) {
                partition = openPartition(key);
            }
            lastKey = key;
            lastPartition = partition;
        }
        partition.builder.add(row);
        if (partition.builder.isFull()) {
            partition.stream.write(partition.builder.build());
        }
    }

    /** Closes every open file and returns the files closed since the last flush. */
    public List<StagedFile> flush() throws Exception {
        for (OpenPartition partition : open.values()) {
            closedFiles.addAll(partition.finish());
        }
        open.clear();
        lastKey = null;
        lastPartition = null;
        List<StagedFile> files = new ArrayList<>(closedFiles);
        closedFiles.clear();
        return files;
    }

    /** Number of partitions with an open file stream. */
    public int openPartitions() {
        return open.size();
    }

    @Override
    public void close() {
        for (OpenPartition partition : open.values()) {
            partition.stream.abort();
        }
        open.clear();
        lastPartition = null;
        executor.shutdownNow();
    }

    private OpenPartition openPartition(Object key) throws Exception {
        if (open.size() >= maxOpenPartitions) {
            Iterator<OpenPartition> eldest = open.values().iterator();
            OpenPartition evicted = eldest.next();
            eldest.remove();
            closedFiles.addAll(evicted.finish());
        }
        Map<String, String> text = new LinkedHashMap<>();
        Map<String, Literal> literals = new HashMap<>();
        Object[] values = partitionColumns.size() == 1 ? new Object[] {key} : keyValues(key);
        for (int i = 0; i < partitionColumns.size(); i++) {
            Object raw = values[i] == NullKey.INSTANCE ? null : values[i];
            String value = PartitionValues.toText(partitionTypes[i], raw);
            text.put(partitionColumns.get(i), value);
            literals.put(partitionColumns.get(i), PartitionValues.toLiteral(partitionTypes[i], value));
        }
        OpenPartition partition =
                new OpenPartition(
                        new RowDataBatchBuilder(rowType, schema, batchRows, batchBytes),
                        new ParquetFileStream(
                                engine,
                                transactionState,
                                literals,
                                text,
                                dataSchema,
                                QUEUE_CAPACITY,
                                executor));
        open.put(key, partition);
        return partition;
    }

    private static Object[] keyValues(Object key) {
        return key == UNPARTITIONED ? new Object[0] : ((List<?>) key).toArray();
    }

    private Object partitionKey(RowData row) {
        int n = partitionGetters.length;
        if (n == 0) {
            return UNPARTITIONED;
        }
        if (n == 1) {
            return stableValue(partitionGetters[0].getFieldOrNull(row));
        }
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            values[i] = stableValue(partitionGetters[i].getFieldOrNull(row));
        }
        return Arrays.asList(values);
    }

    /**
     * Converts a field value to an immutable Java value (see {@link PartitionValues#toText}); null
     * becomes a marker so it can be a map key.
     */
    private static Object stableValue(Object value) {
        if (value == null) {
            return NullKey.INSTANCE;
        }
        if (value instanceof StringData) {
            return value.toString();
        }
        if (value instanceof TimestampData) {
            TimestampData ts = (TimestampData) value;
            return ts.getMillisecond() * 1000L + ts.getNanoOfMillisecond() / 1000;
        }
        if (value instanceof DecimalData) {
            return ((DecimalData) value).toBigDecimal();
        }
        return value;
    }

    /** Map-key stand-in for a null partition value. */
    private enum NullKey {
        INSTANCE;

        @Override
        public String toString() {
            return "null";
        }
    }

    /** One partition's batch being filled and its Parquet stream. */
    private static final class OpenPartition {
        final RowDataBatchBuilder builder;
        final ParquetFileStream stream;

        OpenPartition(RowDataBatchBuilder builder, ParquetFileStream stream) {
            this.builder = builder;
            this.stream = stream;
        }

        List<StagedFile> finish() throws Exception {
            if (builder.size() > 0) {
                stream.write(builder.build());
            }
            return stream.finish();
        }
    }
}
