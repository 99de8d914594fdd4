package io.exactlyonce.tools.bootstrap;

import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.tools.JobUids;
import io.exactlyonce.tools.TableOptions;
import io.exactlyonce.tools.ToolEnvironment;
import io.exactlyonce.tools.ToolInputException;
import io.exactlyonce.tools.table.LiveFileStats;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code bootstrap-dedup --table <delta path> --out <savepoint dir>}: writes a savepoint whose dedup
 * state (under the job's dedup uid) holds every key of the table, first seen at the row's {@code
 * _kafka_timestamp} (or {@code --first-seen-at}), with its expiry timer — so that the job started
 * from it ({@code flink run -s <dir>}) drops every record whose key the table already has. The other
 * operators start without state (new committer appIds, Kafka from {@code --starting-offsets}).
 *
 * <p>Keys stream from the table through the keyed bootstrap into RocksDB (default), so the heap
 * holds no key set. RocksDB gets {@code --rocksdb-memory} of managed memory and bloom filters (see
 * {@link #backend()}). Bad input — the table missing, the key or
 * first-seen column missing or of the wrong type, {@code --out} not empty, a bad instant — exits 2
 * before anything is written.
 */
@Command(name = "bootstrap-dedup", mixinStandardHelpOptions = true,
        description = "Write a savepoint whose dedup state holds every key of a Delta table.")
public final class BootstrapDedupCommand implements Callable<Integer> {

    /** Flink's default max parallelism for a job of parallelism up to 85 (what the job gets unless set). */
    static final int JOB_DEFAULT_MAX_PARALLELISM = 128;

    @Spec CommandSpec spec;

    /** The table's rows (from its statistics), to size the bootstrap's filter of written keys. */
    private long tableRows;

    @Option(names = "--table", required = true, description = "the Delta table whose keys to remember")
    String table;

    @Option(names = "--key", defaultValue = "order_id", description = "key column, a string (default: ${DEFAULT-VALUE})")
    String keyColumn;

    @Option(names = "--out", required = true, description = "savepoint directory to create (must not exist or be empty)")
    String out;

    @Option(names = "--first-seen-column", defaultValue = "_kafka_timestamp",
            description = "timestamp column a key counts as first seen at, as the job does (default: ${DEFAULT-VALUE})")
    String firstSeenColumn;

    @Option(names = "--first-seen-at",
            description = "instead: one ISO-8601 instant for every key (the TTL base time), e.g. 2026-11-27T00:00:00Z")
    String firstSeenAt;

    @Option(names = "--dedup-ttl-days", defaultValue = "7", description = "the job's --dedup-ttl-days: expiry timers at first seen + TTL (default: ${DEFAULT-VALUE})")
    long ttlDays;

    @Option(names = "--max-parallelism", defaultValue = "" + JOB_DEFAULT_MAX_PARALLELISM,
            description = "the job's max parallelism (Flink's default for parallelism <= 85: ${DEFAULT-VALUE})")
    int maxParallelism;

    @Option(names = "--uid-prefix", defaultValue = "orders", description = "the job's --uid-prefix (default: ${DEFAULT-VALUE})")
    String uidPrefix;

    @Option(names = "--parallelism", defaultValue = "2", description = "parallelism of the bootstrap (default: ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--state-backend", defaultValue = "rocksdb",
            description = "rocksdb (keys off-heap) or hashmap (keys on the heap); the savepoint restores into either (default: ${DEFAULT-VALUE})")
    String stateBackend;

    @Option(names = "--rocksdb-memory", defaultValue = ToolEnvironment.DEFAULT_ROCKSDB_MEMORY,
            description = "off-heap memory of the bootstrap's RocksDB (Flink managed memory), e.g. 256m, 1g (default: ${DEFAULT-VALUE})")
    String rocksDbMemory;

    @Override
    public Integer call() throws Exception {
        Long fixedFirstSeen = validate();
        long start = System.nanoTime();
        StreamExecutionEnvironment env = ToolEnvironment.create(rocksDbMemory, parallelism);
        DataStream<KeyFirstSeen> keys =
                env.addSource(new DeltaKeySource(table, keyColumn, firstSeenColumn, fixedFirstSeen), "Delta keys: " + table)
                        .returns(Types.POJO(KeyFirstSeen.class))
                        .setParallelism(1);
        long ttlMillis = Duration.ofDays(ttlDays).toMillis();
        // keys are spread over the subtasks by key group: a quarter more than an even share
        long keysPerSubtask = tableRows / parallelism + tableRows / (4L * parallelism) + 1;
        StateBootstrapTransformation<KeyFirstSeen> dedup =
                OperatorTransformation.bootstrapWith(keys)
                        .keyBy(k -> k.key, Types.STRING)
                        .transform((timestamp, path) -> new DedupBootstrapOperator(ttlMillis, keysPerSubtask, timestamp, path));
        String uid = new JobUids(uidPrefix).dedup();
        SavepointWriter.newSavepoint(env, backend(), maxParallelism)
                .withOperator(OperatorIdentifier.forUid(uid), dedup)
                .write(out);
        JobExecutionResult result = env.execute("bootstrap-dedup " + table);
        long rows = result.<Long>getAccumulatorResult(DeltaKeySource.ROWS);
        long nullKeys = result.<Long>getAccumulatorResult(DeltaKeySource.NULL_KEYS);
        spec.commandLine().getOut().printf(
                "Wrote savepoint %s: dedup state (uid %s, max parallelism %d) with the keys of %d rows of %s"
                        + " (%d null keys skipped) in %d ms.%nStart the job from it: flink run -s %s"
                        + " --allowNonRestoredState … --uid-prefix %s --dedup-ttl-days %d%n",
                out, uid, maxParallelism, rows - nullKeys, table, nullKeys,
                (System.nanoTime() - start) / 1_000_000, out, uidPrefix, ttlDays);
        return 0;
    }

    /** Checks every input before anything runs; returns the fixed first-seen instant, if one is given. */
    private Long validate() throws IOException {
        Engine engine = KernelEngines.create(Map.of());
        Snapshot snapshot = TableOptions.snapshot(engine, table, "--table");
        StructType schema = snapshot.getSchema();
        tableRows = LiveFileStats.totals(engine, snapshot).estimatedRows();
        requireColumn(schema, keyColumn, "--key", StringType.class);
        Long fixed = null;
        if (firstSeenAt != null) {
            try {
                fixed = Instant.parse(firstSeenAt).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new ToolInputException("'--first-seen-at' '" + firstSeenAt
                        + "' is not an ISO-8601 instant: use for example 2026-11-27T00:00:00Z", e);
            }
        } else {
            requireColumn(schema, firstSeenColumn, "--first-seen-column", TimestampType.class, TimestampNTZType.class);
        }
        ToolEnvironment.memory(rocksDbMemory);
        if (ttlDays <= 0) {
            throw new ToolInputException("'--dedup-ttl-days' must be positive, was " + ttlDays);
        }
        if (parallelism <= 0) {
            throw new ToolInputException("'--parallelism' must be positive, was " + parallelism);
        }
        if (maxParallelism <= 0 || maxParallelism > 32768) {
            throw new ToolInputException("'--max-parallelism' must be in 1..32768, was " + maxParallelism);
        }
        if (!stateBackend.equalsIgnoreCase("rocksdb") && !stateBackend.equalsIgnoreCase("hashmap")) {
            throw new ToolInputException("'--state-backend' must be rocksdb or hashmap, was '" + stateBackend + "'");
        }
        Path target = Paths.get(out.startsWith("file:") ? java.net.URI.create(out).getPath() : out);
        if (Files.exists(target)) {
            try (Stream<Path> entries = Files.isDirectory(target) ? Files.list(target) : Stream.of(target)) {
                if (entries.findAny().isPresent()) {
                    throw new ToolInputException("'--out' " + out
                            + " already exists and is not empty: give a new directory (an existing savepoint is never overwritten)");
                }
            }
        }
        return fixed;
    }

    @SafeVarargs
    private static void requireColumn(StructType schema, String column, String option, Class<? extends DataType>... types) {
        if (schema.indexOf(column) < 0) {
            throw new ToolInputException("the table has no column '" + column + "' (" + option + "); its columns: "
                    + schema.fieldNames());
        }
        DataType type = schema.get(column).getDataType();
        for (Class<? extends DataType> allowed : types) {
            if (allowed.isInstance(type)) {
                return;
            }
        }
        throw new ToolInputException("column '" + column + "' (" + option + ") is " + type + ", not "
                + types[0].getSimpleName().replace("Type", "").toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * RocksDB with bloom filters for the state reads the {@link SeenKeysFilter} cannot spare (keys it
     * calls "maybe seen"). The filters live in this process's RocksDB only; the savepoint is written
     * in the canonical format, which the job reads with its own settings.
     */
    private StateBackend backend() {
        if (stateBackend.equalsIgnoreCase("hashmap")) {
            return new HashMapStateBackend();
        }
        Configuration rocksDb = new Configuration();
        rocksDb.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        return new EmbeddedRocksDBStateBackend().configure(rocksDb, getClass().getClassLoader());
    }

}
