package io.exactlyonce.job.bench;

import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;
import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.dedup.DedupOperator;
import io.exactlyonce.job.dedup.OrderIdKey;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures, in one run on this machine: (1) the cost of recording source progress on a Delta commit
 * (commits of one small file with and without progress, alternating, as a ratio), and (2) the dedup
 * bootstrap from an orders table of N ids (time and heap). Not a test; run by hand:
 * {@code java -cp <flink-job test classpath> io.exactlyonce.job.bench.ProgressCostBench 1000000}.
 */
public final class ProgressCostBench {

    public static void main(String[] args) throws Exception {
        long ids = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        boolean rocksDb = args.length > 1 && args[1].equals("rocksdb");
        boolean skipCommits = args.length > 2 && args[2].equals("no-commit-cost");
        Path root = Files.createTempDirectory("progress-bench");
        Engine engine = KernelEngines.create(Map.of());
        StructType schema = DeltaSchemaConverter.toDeltaSchema(OrderSchema.ORDERS);
        if (!skipCommits) {
            commitCost(root, engine, schema);
        }
        bootstrap(root, engine, schema, ids, rocksDb);
    }

    private static void commitCost(Path root, Engine engine, StructType schema) throws Exception {
        String plain = root.resolve("plain").toUri().toString();
        String withProgress = root.resolve("progress").toUri().toString();
        DeltaCommitter a = committer(engine, plain, schema, null);
        DeltaCommitter b = committer(engine, withProgress, schema, "bench");
        Map<String, Long> positions = new HashMap<>();
        List<Long> plainMs = new ArrayList<>();
        List<Long> progressMs = new ArrayList<>();
        for (int cp = 1; cp <= 40; cp++) {
            for (int p = 0; p < 12; p++) {
                positions.put("kafka/orders/" + p + "/Xq1a2b3c4d", (long) cp * 1000 + p);
            }
            long t0 = System.nanoTime();
            a.commit(new DeltaTransaction("app", cp, write(engine, plain, schema, cp)));
            long t1 = System.nanoTime();
            b.commit(new DeltaTransaction("app", cp, write(engine, withProgress, schema, cp), SourceProgress.of(positions)));
            long t2 = System.nanoTime();
            if (cp > 5) { // after warm-up
                plainMs.add((t1 - t0) / 1_000_000);
                progressMs.add((t2 - t1) / 1_000_000);
            }
        }
        System.out.printf("commit without progress: median %d ms, p90 %d ms%n", median(plainMs), p90(plainMs));
        System.out.printf("commit with progress (12 partitions): median %d ms, p90 %d ms%n", median(progressMs), p90(progressMs));
        System.out.printf("ratio (median): %.2f%n", (double) median(progressMs) / median(plainMs));
    }

    private static void bootstrap(Path root, Engine engine, StructType schema, long ids, boolean rocksDb)
            throws Exception {
        String table = root.resolve("orders").toUri().toString();
        Snapshot snapshot = DeltaTableBootstrap.ensureTable(engine, table, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, Map.of());
        long t0 = System.nanoTime();
        try (RowDataDeltaWriter writer = new RowDataDeltaWriter(engine,
                snapshot.buildUpdateTableTransaction("bench", Operation.WRITE).build(engine).getTransactionState(engine),
                OrderSchema.ORDERS, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, 4096, 4, "bench")) {
            for (long i = 0; i < ids; i++) {
                writer.write(order(i));
            }
            committer(engine, table, schema, null).commit(new DeltaTransaction("load", 1, writer.flush()));
        }
        System.out.printf("wrote %d ids in %d ms%n", ids, (System.nanoTime() - t0) / 1_000_000);
        System.gc();
        long heapBefore = usedHeap();
        long t1 = System.nanoTime();
        try (KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new DedupOperator(Duration.ofDays(7), table), new OrderIdKey(), Types.STRING, 128, 1, 0)) {
            if (rocksDb) {
                // the harness has no managed memory: give RocksDB what a TaskManager slot would
                var rocks = new org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend();
                rocks.getMemoryConfiguration().setFixedMemoryPerSlot(org.apache.flink.configuration.MemorySize.parse("256mb"));
                h.setStateBackend(rocks);
            }
            h.setup();
            h.open();
            long ms = (System.nanoTime() - t1) / 1_000_000;
            System.gc();
            System.out.printf("dedup bootstrap of %d ids (%s state backend, 1 subtask): %d ms, heap +%d MB after GC, %d ids/s%n",
                    ids, rocksDb ? "RocksDB" : "heap", ms, (usedHeap() - heapBefore) >> 20, ms == 0 ? 0 : ids * 1000 / ms);
        }
    }

    private static GenericRowData order(long i) {
        GenericRowData row = new GenericRowData(OrderSchema.ORDERS.getFieldCount());
        row.setField(OrderSchema.ORDER_ID, StringData.fromString("order-" + i));
        row.setField(OrderSchema.AMOUNT, DecimalData.fromBigDecimal(BigDecimal.valueOf(i % 10_000, 2), 18, 2));
        row.setField(OrderSchema.EVENT_TIME, TimestampData.fromEpochMillis(1_700_000_000_000L + i));
        row.setField(OrderSchema.KAFKA_TOPIC, StringData.fromString("orders"));
        row.setField(OrderSchema.KAFKA_PARTITION, (int) (i % 3));
        row.setField(OrderSchema.KAFKA_OFFSET, i / 3);
        row.setField(OrderSchema.KAFKA_TIMESTAMP, TimestampData.fromEpochMillis(1_700_000_000_000L + i));
        row.setField(OrderSchema.EVENT_DATE, 19_675);
        return row;
    }

    private static List<StagedFile> write(Engine engine, String table, StructType schema, int cp) throws Exception {
        Snapshot snapshot = DeltaTableBootstrap.ensureTable(engine, table, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, Map.of());
        try (RowDataDeltaWriter writer = new RowDataDeltaWriter(engine,
                snapshot.buildUpdateTableTransaction("bench", Operation.WRITE).build(engine).getTransactionState(engine),
                OrderSchema.ORDERS, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, 256, 4, "bench")) {
            for (long i = 0; i < 100; i++) {
                writer.write(order(cp * 1000L + i));
            }
            return writer.flush();
        }
    }

    private static DeltaCommitter committer(Engine engine, String table, StructType schema, String progressId) {
        DeltaTableBootstrap.ensureTable(engine, table, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, Map.of());
        return new DeltaCommitter(engine, table, schema, OrderSchema.ORDERS_PARTITION_COLUMNS, CommitRetryPolicy.defaults(), progressId);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long median(List<Long> values) {
        Long[] sorted = values.toArray(new Long[0]);
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long p90(List<Long> values) {
        Long[] sorted = values.toArray(new Long[0]);
        Arrays.sort(sorted);
        return sorted[(int) (sorted.length * 0.9)];
    }
}
