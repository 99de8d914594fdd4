package io.exactlyonce.delta.sink.read;

import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.ScanFileRows;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

import org.apache.flink.annotation.Internal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads the current rows of a Delta table through Delta Kernel's public API, column-pruned, for
 * reconciliation and demos: {@code scan(List.of("order_id"), row -> ...)}. Rows are visited one by
 * one (a row object is only valid inside the callback). Tables written with column mapping or
 * deletion vectors are refused, since this sink never writes them.
 */
@Internal
public final class DeltaTableScanner {

    private final String tablePath;
    private final Engine engine;

    public DeltaTableScanner(String tablePath, Map<String, String> hadoopConf) {
        this.tablePath = tablePath;
        this.engine = KernelEngines.create(hadoopConf);
    }

    public Snapshot snapshot() {
        return TableManager.loadSnapshot(tablePath).build(engine);
    }

    /** Visits every row of the latest snapshot, with only the given columns (in that order). */
    public void scan(List<String> columns, Consumer<Row> visitor) {
        Snapshot snapshot = snapshot();
        StructType schema = snapshot.getSchema();
        StructType readSchema =
                new StructType(columns.stream().map(schema::get).collect(Collectors.toList()));
        List<String> partitionColumns = snapshot.getPartitionColumnNames();
        StructType physicalSchema =
                new StructType(
                        readSchema.fields().stream()
                                .filter(f -> !partitionColumns.contains(f.getName()))
                                .collect(Collectors.toList()));
        Scan scan = snapshot.getScanBuilder().withReadSchema(readSchema).build();
        Row scanState = scan.getScanState(engine);
        String root = snapshot.getPath();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
                    while (files.hasNext()) {
                        Row scanFile = files.next();
                        readFile(scanState, scanFile, fileStatus(root, scanFile), physicalSchema, visitor);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readFile(
            Row scanState, Row scanFile, FileStatus file, StructType physicalSchema, Consumer<Row> visitor)
            throws IOException {
        CloseableIterator<ColumnarBatch> physical =
                engine.getParquetHandler()
                        .readParquetFiles(single(file), physicalSchema, Optional.empty())
                        .map(FileReadResult::getData);
        try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
            while (logical.hasNext()) {
                try (CloseableIterator<Row> rows = logical.next().getRows()) {
                    while (rows.hasNext()) {
                        visitor.accept(rows.next());
                    }
                }
            }
        }
    }

    private static FileStatus fileStatus(String root, Row scanFile) {
        Row add = ScanFileRows.add(scanFile);
        StructType addSchema = add.getSchema();
        if (addSchema.indexOf("deletionVector") >= 0 && !add.isNullAt(addSchema.indexOf("deletionVector"))) {
            throw new UnsupportedOperationException("Tables with deletion vectors are not supported by this reader");
        }
        String path = ScanFileRows.path(add);
        long size = add.getLong(addSchema.indexOf("size"));
        try {
            URI uri = new URI(path);
            if (!uri.isAbsolute()) {
                uri = new URI(root.endsWith("/") ? root : root + "/").resolve(uri);
            }
            return FileStatus.of(uri.toString(), size, 0);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Invalid data file path in the Delta log: " + path, e);
        }
    }

    private static <T> CloseableIterator<T> single(T value) {
        return new CloseableIterator<T>() {
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public T next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                done = true;
                return value;
            }

            @Override
            public void close() {}
        };
    }

}
