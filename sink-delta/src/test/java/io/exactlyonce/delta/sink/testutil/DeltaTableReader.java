package io.exactlyonce.delta.sink.testutil;

import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.read.DeltaTableScanner;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
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
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Delta table back for test assertions: its rows (through {@link DeltaTableScanner}, as column-name to
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
        List<String> columns = snapshot().getSchema().fieldNames();
        List<Map<String, Object>> result = new ArrayList<>();
        new DeltaTableScanner(tablePath, Map.of())
                .scan(
                        columns,
                        row -> {
                            Map<String, Object> values = new LinkedHashMap<>();
                            for (int c = 0; c < columns.size(); c++) {
                                values.put(columns.get(c), value(row, c));
                            }
                            result.add(values);
                        });
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

    private static Object value(Row row, int c) {
        if (row.isNullAt(c)) {
            return null;
        }
        DataType t = row.getSchema().at(c).getDataType();
        if (t instanceof StringType) {
            return row.getString(c);
        } else if (t instanceof LongType || t instanceof TimestampType) {
            return row.getLong(c);
        } else if (t instanceof IntegerType || t instanceof DateType) {
            return row.getInt(c);
        } else if (t instanceof ShortType) {
            return row.getShort(c);
        } else if (t instanceof ByteType) {
            return row.getByte(c);
        } else if (t instanceof BooleanType) {
            return row.getBoolean(c);
        } else if (t instanceof DoubleType) {
            return row.getDouble(c);
        } else if (t instanceof FloatType) {
            return row.getFloat(c);
        } else if (t instanceof DecimalType) {
            return row.getDecimal(c);
        } else if (t instanceof BinaryType) {
            return row.getBinary(c);
        }
        throw new IllegalArgumentException("unsupported type " + t);
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
