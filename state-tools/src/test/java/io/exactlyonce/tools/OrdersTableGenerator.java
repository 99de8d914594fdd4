package io.exactlyonce.tools;

import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;
import io.exactlyonce.job.OrderSchema;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

/**
 * Writes an orders table of N rows ({@link Orders} ids and Kafka timestamps) straight through the
 * sink's own Parquet writer and committer, without Kafka or Flink: for tests and for measuring the
 * tools on millions of keys ({@code main <table> <rows>}). Commits every million rows.
 */
public final class OrdersTableGenerator {

    private OrdersTableGenerator() {}

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        write(args[0], "m", 0, Integer.parseInt(args[1]));
        System.out.printf("wrote %s rows to %s in %d ms%n", args[1], args[0], (System.nanoTime() - start) / 1_000_000);
    }

    /** Appends orders {@code from} (inclusive) to {@code to} (exclusive) with ids {@code <prefix>-N}. */
    public static void write(String table, String prefix, int from, int to) throws Exception {
        write(table, prefix, from, to, UUID.randomUUID().toString(), 1);
    }

    /** As above, committed as sink {@code appId} under checkpoint ids from {@code firstCheckpoint} on. */
    public static void write(String table, String prefix, int from, int to, String appId, long firstCheckpoint)
            throws Exception {
        Engine engine = KernelEngines.create(Map.of());
        StructType schema = DeltaSchemaConverter.toDeltaSchema(OrderSchema.ORDERS);
        DeltaCommitter committer = new DeltaCommitter(
                engine, table, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, CommitRetryPolicy.defaults());
        long checkpoint = firstCheckpoint;
        for (int chunk = from; chunk < to; chunk += 1_000_000) {
            Snapshot snapshot = DeltaTableBootstrap.ensureTable(
                    engine, table, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, Map.of());
            DeltaTransaction txn = new DeltaTransaction(appId);
            try (RowDataDeltaWriter writer = new RowDataDeltaWriter(
                    engine,
                    snapshot.buildUpdateTableTransaction("generator", Operation.WRITE).build(engine)
                            .getTransactionState(engine),
                    OrderSchema.ORDERS, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, 4096, 4, "generator")) {
                for (int i = chunk; i < Math.min(to, chunk + 1_000_000); i++) {
                    writer.write(row(prefix, i));
                }
                writer.flush().forEach(txn::add);
            }
            txn.seal(checkpoint++);
            committer.commit(txn);
        }
    }

    private static GenericRowData row(String prefix, int i) {
        long ts = Orders.timestamp(i);
        GenericRowData row = new GenericRowData(10);
        row.setField(OrderSchema.ORDER_ID, StringData.fromString(Orders.id(prefix, i)));
        row.setField(OrderSchema.CUSTOMER_ID, StringData.fromString("c-" + (i % 7)));
        row.setField(OrderSchema.AMOUNT, DecimalData.fromBigDecimal(BigDecimal.valueOf(i % 100, 0), 18, 2));
        row.setField(OrderSchema.CURRENCY, StringData.fromString("EUR"));
        row.setField(OrderSchema.EVENT_TIME, TimestampData.fromEpochMillis(ts));
        row.setField(OrderSchema.KAFKA_TOPIC, StringData.fromString("generated"));
        row.setField(OrderSchema.KAFKA_PARTITION, 0);
        row.setField(OrderSchema.KAFKA_OFFSET, (long) i);
        row.setField(OrderSchema.KAFKA_TIMESTAMP, TimestampData.fromEpochMillis(ts));
        row.setField(OrderSchema.EVENT_DATE, (int) Math.floorDiv(ts, 86_400_000L));
        return row;
    }
}
