package io.exactlyonce.delta.sink.testutil;

import io.exactlyonce.delta.sink.core.KernelEngines;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Delta table back through Delta Kernel for test assertions: its rows (as column-name to
 * Java-value maps), its version, its txn versions and its data files with partition values.
 * Test-only; it uses Kernel internals to reach scan-file details.
 */
public final class DeltaTableReader {

    private final String tablePath;
    private final Engine engine = KernelEngines.create(Map.of());

    public DeltaTableReader(String tablePath) {
        this.tablePath = tablePath;
    }

    public Snapshot snapshot() {
        return TableManager.loadSnapshot(tablePath).build(engine);
    }

    public long version() {
        return snapshot().getVersion();
    }

    public Optional<Long> txnVersion(String appId) {
        return snapshot().getLatestTransactionVersion(engine, appId);
    }

    /** The distinct txn appIds recorded in the table's JSON commit files, in commit order. */
    public List<String> appIds() {
        java.nio.file.Path log =
                java.nio.file.Paths.get(java.net.URI.create(tablePath)).resolve("_delta_log");
        java.util.regex.Pattern txn = java.util.regex.Pattern.compile("\"appId\":\"([^\"]+)\"");
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(log)) {
            for (java.nio.file.Path file :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toArray(java.nio.file.Path[]::new)) {
                java.util.regex.Matcher m = txn.matcher(java.nio.file.Files.readString(file));
                while (m.find()) {
                    ids.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(ids);
    }

    /** One entry per live data file: its path and partition values. */
    public List<DataFile> dataFiles() {
        List<DataFile> files = new ArrayList<>();
        Scan scan = snapshot().getScanBuilder().build();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> rows = scanFiles.next().getRows()) {
                    while (rows.hasNext()) {
                        Row row = rows.next();
                        files.add(
                                new DataFile(
                                        InternalScanFileUtils.getAddFileStatus(row).getPath(),
                                        InternalScanFileUtils.getPartitionValues(row)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** All rows, as maps of column name to value (strings, boxed numbers, BigDecimal, ...). */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> result = new ArrayList<>();
        Scan scan = snapshot().getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> fileRows = scanFiles.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row scanFile = fileRows.next();
                        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
                        CloseableIterator<ColumnarBatch> physical =
                                engine.getParquetHandler()
                                        .readParquetFiles(
                                                singleton(file), physicalSchema, Optional.empty())
                                        .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
                            while (logical.hasNext()) {
                                addRows(logical.next(), result);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** The values of one column over all rows. */
    public List<Object> column(String name) {
        List<Object> values = new ArrayList<>();
        for (Map<String, Object> row : rows()) {
            values.add(row.get(name));
        }
        return values;
    }

    private static void addRows(FilteredColumnarBatch batch, List<Map<String, Object>> out) {
        ColumnarBatch data = batch.getData();
        StructType schema = data.getSchema();
        Optional<ColumnVector> selection = batch.getSelectionVector();
        for (int r = 0; r < data.getSize(); r++) {
            if (selection.isPresent()
                    && (selection.get().isNullAt(r) || !selection.get().getBoolean(r))) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < schema.length(); c++) {
                row.put(schema.at(c).getName(), value(data.getColumnVector(c), r));
            }
            out.add(row);
        }
    }

    private static Object value(ColumnVector v, int r) {
        if (v.isNullAt(r)) {
            return null;
        }
        DataType t = v.getDataType();
        if (t instanceof StringType) {
            return v.getString(r);
        } else if (t instanceof LongType || t instanceof TimestampType) {
            return v.getLong(r);
        } else if (t instanceof IntegerType || t instanceof DateType) {
            return v.getInt(r);
        } else if (t instanceof ShortType) {
            return v.getShort(r);
        } else if (t instanceof ByteType) {
            return v.getByte(r);
        } else if (t instanceof BooleanType) {
            return v.getBoolean(r);
        } else if (t instanceof DoubleType) {
            return v.getDouble(r);
        } else if (t instanceof FloatType) {
            return v.getFloat(r);
        } else if (t instanceof DecimalType) {
            return v.getDecimal(r);
        } else if (t instanceof BinaryType) {
            return v.getBinary(r);
        }
        throw new IllegalArgumentException("unsupported type " + t);
    }

    private static <T> CloseableIterator<T> singleton(T value) {
        return new CloseableIterator<T>() {
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public T next() {
                done = true;
                return value;
            }

            @Override
            public void close() {}
        };
    }

    /** A live data file of the table. */
    public static final class DataFile {
        public final String path;
        public final Map<String, String> partitionValues;

        DataFile(String path, Map<String, String> partitionValues) {
            this.path = path;
            this.partitionValues = partitionValues;
        }

        @Override
        public String toString() {
            return path + " " + partitionValues;
        }
    }
}
