package io.exactlyonce.bench;

import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.dedup.DedupOperator;
import io.exactlyonce.job.dedup.OrderIdKey;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.apache.flink.contrib.streaming.state.RocksDBOptions;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Dedup state access on a real RocksDB keyed state backend, with RocksDB's bloom filters off
 * (Flink's default) and on ({@code state.backend.rocksdb.use-bloom-filter}).
 *
 * <p>{@link DedupOperator} runs in Flink's keyed operator harness on {@link
 * EmbeddedRocksDBStateBackend} (incremental checkpoints, RocksDB timers, 64 MB of managed memory:
 * a task slot's share of a local cluster's default 128 MB at parallelism 2). Keys are UUID-shaped
 * order ids: 90 % of the records carry a new id, 10 % the id of a record a thousand records
 * earlier (a duplicate), so the state grows over a trial (by hundreds of thousands to millions of
 * keys, depending on the speed) as it does in a backfill. {@code -p managedMemory=false} gives
 * RocksDB its own memory per column family instead. Two measurements per setting:
 * <ul>
 *   <li>{@code stateGetPut}: exactly the state access of one record, on the operator's own
 *       {@code first-seen} state: set the key, {@code value()}, and {@code update()} for a new id;
 *   <li>{@code processElement}: the whole operator per record — the same state access plus the
 *       expiry timer (a RocksDB write) and the per-checkpoint counting.
 * </ul>
 * Building the key and the row costs tens of ns of each measured µs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.HEAP, BenchmarkJvm.G1, BenchmarkJvm.OPEN_LANG, BenchmarkJvm.OPEN_UTIL,
        BenchmarkJvm.OPEN_NIO, BenchmarkJvm.OPEN_NIO_CH})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class DedupStateBenchmark {

    private static final long MANAGED_MEMORY_BYTES = 64L << 20;
    private static final int DUPLICATE_EVERY = 10;
    private static final int DUPLICATE_DISTANCE = 1000;
    private static final long KAFKA_TIMESTAMP = OrderRecords.FIRST_EVENT.toEpochMilli();

    /** RocksDB bloom filters ({@code state.backend.rocksdb.use-bloom-filter}). */
    @Param({"false", "true"})
    public boolean bloomFilter;

    /** RocksDB memory from Flink's managed memory (the default) or RocksDB's own defaults per column family. */
    @Param({"true"})
    public boolean managedMemory;

    private KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> harness;
    private KeyedStateBackend<String> backend;
    private ValueState<Long> firstSeen;
    private GenericRowData row;
    private OrderIds ids;
    private int emittedSinceClear;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Configuration rocksDb = new Configuration();
        rocksDb.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, bloomFilter);
        rocksDb.set(RocksDBOptions.USE_MANAGED_MEMORY, managedMemory);
        EmbeddedRocksDBStateBackend stateBackend =
                new EmbeddedRocksDBStateBackend(true).configure(rocksDb, getClass().getClassLoader());
        MockEnvironment environment =
                new MockEnvironmentBuilder()
                        .setTaskName("Dedup")
                        .setManagedMemorySize(MANAGED_MEMORY_BYTES)
                        .setMaxParallelism(128)
                        .build();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new DedupOperator(Duration.ofDays(7)), new OrderIdKey(), Types.STRING, environment);
        harness.setStateBackend(stateBackend);
        harness.open();
        backend = harness.getOperator().getKeyedStateBackend();
        firstSeen = backend.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, DedupOperator.firstSeenDescriptor());
        row = OrdersTable.parsedOrders(1, 3)[0];
        ids = new OrderIds(ThreadLocalRandom.current().nextLong());
    }

    /** One record's state access: get, and put for a new id. */
    @Benchmark
    public Long stateGetPut() throws Exception {
        long seq = ids.next();
        backend.setCurrentKey(ids.id(seq));
        Long first = firstSeen.value();
        if (first == null) {
            firstSeen.update(KAFKA_TIMESTAMP + seq);
        }
        return first;
    }

    /** One record through the whole dedup operator. */
    @Benchmark
    public void processElement() throws Exception {
        long seq = ids.next();
        row.setField(OrderSchema.ORDER_ID, StringData.fromString(ids.id(seq)));
        row.setField(OrderSchema.KAFKA_TIMESTAMP, TimestampData.fromEpochMillis(KAFKA_TIMESTAMP + seq));
        harness.processElement(new StreamRecord<>(row));
        if (++emittedSinceClear == 4096) {
            // the harness keeps every emitted record
            harness.getOutput().clear();
            emittedSinceClear = 0;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    /**
     * The order id sequence: UUID-shaped strings that share a random per-trial prefix and end in a
     * scrambled 48-bit counter (unique, not in key order); every {@value #DUPLICATE_EVERY}th one
     * repeats an earlier id.
     */
    static final class OrderIds {
        private static final char[] HEX = "0123456789abcdef".toCharArray();
        private final char[] id = new char[36];
        private long count;

        OrderIds(long seed) {
            String prefix = new java.util.UUID(seed, seed * 31).toString();
            prefix.getChars(0, 24, id, 0);
        }

        /** The sequence number of the next record's id. */
        long next() {
            long n = count++;
            return n % DUPLICATE_EVERY == DUPLICATE_EVERY - 1 && n > DUPLICATE_DISTANCE ? n - DUPLICATE_DISTANCE : n;
        }

        /** The id of a sequence number. */
        String id(long seq) {
            long scrambled = (seq * 0x9E3779B97F4BL) & 0xFFFF_FFFF_FFFFL;
            for (int i = 35; i >= 24; i--) {
                id[i] = HEX[(int) (scrambled & 15)];
                scrambled >>>= 4;
            }
            return new String(id);
        }
    }
}
