package io.exactlyonce.bench;

import io.exactlyonce.delta.sink.DeltaSink;
import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;
import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.parse.OrderParser;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;

import org.apache.flink.table.data.GenericRowData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real orders table (the job's schema, partitioned by {@code event_date}) in a local directory,
 * with the sink's writer and committer opened on it the way the sink's operators open them:
 * {@code DeltaWriterOperator} (transaction state of a WRITE transaction, default batch rows and
 * open partitions) and {@code DeltaCommitSink} (default retry policy, source progress recorded
 * under a progress id). Also the parsed order rows the benchmarks write.
 */
final class OrdersTable {

    /** The progress id the committer records its source positions under (the job's sinks have one). */
    static final String PROGRESS_ID = "orders";

    final Engine engine = KernelEngines.create(Map.of());
    final StructType schema = DeltaSchemaConverter.toDeltaSchema(OrderSchema.ORDERS);
    final Path dir;
    final String path;

    /** Creates the table in {@code dir} (or opens it, if it is one already). */
    OrdersTable(Path dir) {
        this.dir = dir;
        this.path = dir.toUri().toString();
        DeltaTableBootstrap.ensureTable(engine, path, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, Map.of());
    }

    /** A writer as a writer subtask has it, on the table's current version. */
    RowDataDeltaWriter writer() {
        Snapshot snapshot = DeltaTableBootstrap.ensureTable(
                engine, path, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, Map.of());
        Row transactionState = snapshot.buildUpdateTableTransaction(KernelEngines.ENGINE_INFO, Operation.WRITE)
                .build(engine)
                .getTransactionState(engine);
        return new RowDataDeltaWriter(
                engine,
                transactionState,
                OrderSchema.ORDERS,
                schema,
                OrderSchema.ORDERS_PARTITION_COLUMNS,
                DeltaSink.DEFAULT_BATCH_ROWS,
                DeltaSink.DEFAULT_MAX_OPEN_PARTITIONS,
                "bench-parquet");
    }

    /** The committer as the sink's committer creates it. */
    DeltaCommitter committer() {
        return new DeltaCommitter(
                engine, path, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, CommitRetryPolicy.defaults(), PROGRESS_ID);
    }

    /** {@code count} distinct valid orders of {@link OrderRecords}, parsed as the job parses them. */
    static GenericRowData[] parsedOrders(int count, long seed) {
        byte[][] records = OrderRecords.generate(count, 0, seed);
        OrderParser parser = new OrderParser(1 << 20, 256);
        GenericRowData[] rows = new GenericRowData[count];
        for (int i = 0; i < count; i++) {
            rows[i] = parser.parse(records[i], "orders", i % 3, i, OrderRecords.FIRST_EVENT.toEpochMilli() + i);
            if (rows[i] == null) {
                throw new IllegalStateException("Benchmark order " + i + " does not parse: " + parser.error());
            }
        }
        return rows;
    }

    /** Deletes a directory tree (benchmark output between iterations and trials). */
    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }
}
