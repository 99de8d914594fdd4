package io.exactlyonce.delta.sink;

import io.exactlyonce.delta.sink.core.CommitListener;
import io.exactlyonce.delta.sink.core.CommitRetryPolicy;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTableBootstrap;
import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.PartitionValues;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.TableProgress;
import io.exactlyonce.delta.sink.flink.DeltaSinkV2;
import io.exactlyonce.delta.sink.flink.FlinkLine;
import io.exactlyonce.delta.sink.flink.CommitterInputTypeInfo;
import io.exactlyonce.delta.sink.rowdata.DeltaSchemaConverter;

import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An exactly-once Delta Lake sink for a {@code DataStream<RowData>}.
 *
 * <pre>{@code
 * DeltaSink.forRowType(rowType)
 *     .tablePath("s3a://bucket/tables/orders")
 *     .partitionColumns("event_date")
 *     .uidPrefix("orders-sink")
 *     .append(rows);
 * }</pre>
 *
 * <p>{@link Builder#append} adds two operators: a parallel writer ({@code <uidPrefix>-delta-writer},
 * chained to its input) that writes Parquet files into the table directory and stages them at
 * every checkpoint barrier, and a committer ({@code <uidPrefix>-delta-committer}, parallelism 1)
 * that appends each completed checkpoint's files to the Delta log as one commit carrying {@code
 * txn(appId, checkpointId)}. Rows become visible when the checkpoint that covers them completes;
 * checkpointing must be enabled. Every distinct input row lands exactly once through failures,
 * restores, rescaling and concurrent writers; see {@link DeltaCommitter} for the failure cases.
 *
 * <p>The table is created if missing; an existing table must have the same columns (names, types,
 * nullability) and partition columns, or the job refuses to start and shows both schemas. Files of
 * failed attempts that never reached the log are orphans; Delta {@code VACUUM} removes them.
 */
@PublicEvolving
public final class DeltaSink {

    /** Default rows per in-memory batch handed to the Parquet writer. */
    public static final int DEFAULT_BATCH_ROWS = 4096;

    /** Default limit of partitions with an open Parquet file per writer subtask. */
    public static final int DEFAULT_MAX_OPEN_PARTITIONS = 16;

    /** Default target size of a Parquet data file. */
    public static final long DEFAULT_TARGET_FILE_SIZE_BYTES = 128L * 1024 * 1024;

    /** Declared in a static context: an anonymous listener in the builder would capture it. */
    private static final CommitListener NO_LISTENER = new CommitListener() {};

    private DeltaSink() {}

    /**
     * The Flink API the sink is built on. Both give the same guarantees, the same table contents
     * and the same failure handling (one commit protocol underneath); they differ in operator
     * layout and state, so a job cannot switch between them by restoring a savepoint of the other
     * one's state (see the README section "Flink versions" for the switch).
     */
    @PublicEvolving
    public enum Api {
        /**
         * A {@code TwoPhaseCommitSinkFunction} committer; the default on Flink 1.20, absent from
         * Flink 2.x (the {@code sink-delta-flink2} artifact refuses it). Operators
         * {@code <uidPrefix>-delta-writer} and {@code <uidPrefix>-delta-committer}.
         */
        SINK_FUNCTION,
        /**
         * Flink's Sink V2 ({@code sinkTo}), the only one on Flink 2.x. Operators: writer {@code
         * <uidPrefix>-delta-sink}, sealer {@code <uidPrefix>-delta-sink: <uidPrefix>-delta-sealer}
         * (holds the appId), committer {@code Sink Committer: <uidPrefix>-delta-sink}. Transient
         * commit failures are retried by Flink ({@code sink.committer.retries}) instead of {@link
         * Builder#commitRetryPolicy}.
         */
        SINK_V2
    }

    /** A sink for rows of the given Flink type; the Delta schema is derived from it. */
    public static Builder forRowType(RowType rowType) {
        return new Builder(Objects.requireNonNull(rowType, "rowType"));
    }

    /** A sink for a declared Delta schema; input rows must have the matching Flink row type. */
    public static Builder forDeltaSchema(StructType schema) {
        return new Builder(DeltaSchemaConverter.toRowType(Objects.requireNonNull(schema, "schema")));
    }

    /** Configures and attaches a Delta sink. Every setter validates; errors name the option. */
    @PublicEvolving
    public static final class Builder {
        private final RowType rowType;
        private String tablePath;
        private String uidPrefix;
        private List<String> partitionColumns = List.of();
        private final Map<String, String> hadoopConf = new HashMap<>();
        private final Map<String, String> tableProperties = new HashMap<>();
        private long targetFileSizeBytes = DEFAULT_TARGET_FILE_SIZE_BYTES;
        private int batchRows = DEFAULT_BATCH_ROWS;
        private long batchBytes = DeltaSinkConfig.DEFAULT_BATCH_BYTES;
        private Set<Long> skipCheckpointsOnRestore = Set.of();
        private DataStream<CommitterInput> progress;
        private String progressId;
        private int maxOpenPartitions = DEFAULT_MAX_OPEN_PARTITIONS;
        private CommitRetryPolicy retryPolicy = CommitRetryPolicy.defaults();
        private boolean allowRewind;
        private boolean verifyTableOnBuild = true;
        private Integer writerParallelism;
        private CommitListener commitListener = NO_LISTENER;
        private boolean recoverOnRestore = true;
        private Api api = FlinkLine.DEFAULT_API;

        private Builder(RowType rowType) {
            this.rowType = rowType;
        }

        /** Table location: any Hadoop-compatible file system URI or a local path. Required. */
        public Builder tablePath(String tablePath) {
            this.tablePath = tablePath;
            return this;
        }

        /**
         * Prefix of the operators' uids and names; must stay the same across job versions so that
         * savepoints restore the committer's state. Required.
         */
        public Builder uidPrefix(String uidPrefix) {
            this.uidPrefix = uidPrefix;
            return this;
        }

        public Builder partitionColumns(String... columns) {
            return partitionColumns(Arrays.asList(columns));
        }

        public Builder partitionColumns(List<String> columns) {
            this.partitionColumns = List.copyOf(columns);
            return this;
        }

        /** Parquet files are closed once they reach about this size (default 128 MiB). */
        public Builder targetFileSizeBytes(long bytes) {
            this.targetFileSizeBytes = bytes;
            return this;
        }

        /** A Hadoop/Kernel engine setting, for example file system credentials. */
        public Builder hadoopConfig(String key, String value) {
            hadoopConf.put(key, value);
            return this;
        }

        public Builder hadoopConfig(Map<String, String> conf) {
            hadoopConf.putAll(conf);
            return this;
        }

        /** A Delta table property to set when the sink creates the table. */
        public Builder tableProperty(String key, String value) {
            tableProperties.put(key, value);
            return this;
        }

        /** Rows per in-memory batch handed to the Parquet writer thread (default 4096). */
        public Builder batchRows(int rows) {
            this.batchRows = rows;
            return this;
        }

        /**
         * A writer batch is handed to the Parquet thread once it holds about this many bytes of
         * values (default 8 MiB), whatever its row count: rows of 1 MiB strings cannot pile up
         * {@link #batchRows} deep. Memory per open partition is about six batches.
         */
        public Builder batchBytes(long bytes) {
            this.batchBytes = bytes;
            return this;
        }

        /**
         * Checkpoint ids whose pending transactions are skipped when the job restores if they cannot
         * be committed — the way out of a checkpoint that can never commit (its files deleted, the
         * table's schema or protocol changed under the job). A named checkpoint that still commits
         * is committed as usual. Each skipped file is logged at ERROR and recorded under {@code
         * <table>/_quarantine/} for recovery by hand; its rows are not in the table. Use it only for
         * the checkpoint a failure names, and remove it once the job runs again.
         */
        public Builder skipCheckpointsOnRestore(Collection<Long> checkpointIds) {
            this.skipCheckpointsOnRestore = Set.copyOf(checkpointIds);
            return this;
        }

        /** Partitions with an open file per writer subtask before the oldest is closed (16). */
        public Builder maxOpenPartitions(int partitions) {
            this.maxOpenPartitions = partitions;
            return this;
        }

        /** Retries of transient commit failures (default: 8 attempts, 200 ms to 10 s backoff). */
        public Builder commitRetryPolicy(CommitRetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "commitRetryPolicy");
            return this;
        }

        /**
         * Accept restoring a checkpoint or savepoint that is older than what the table already holds
         * from this sink. Off by default: such a restore fails at start. When on, the sink continues
         * under a new application id and commits everything it re-reads, so rows of the rewound
         * range that are still in the table are written again. Recovered checkpoints of such a
         * restore are checked file by file: if the table has removed any of their files since
         * (OPTIMIZE, VACUUM, RESTORE), the restore is refused rather than re-adding them.
         */
        public Builder allowRewind(boolean allow) {
            this.allowRewind = allow;
            return this;
        }

        /** Create-or-verify the table while building the job graph (default true). */
        public Builder verifyTableOnBuild(boolean verify) {
            this.verifyTableOnBuild = verify;
            return this;
        }

        /** Writer parallelism; by default that of the input, so the writer chains to it. */
        public Builder writerParallelism(int parallelism) {
            this.writerParallelism = parallelism;
            return this;
        }

        /**
         * Records the job's source position in the table with every commit, so that a job started
         * without state can resume from the table ({@link TableProgress}). {@code updates} carries
         * {@link CommitterInput#progress(String, long) progress elements} (type {@link
         * CommitterInputTypeInfo}): a split key and the position to resume from, emitted before each
         * checkpoint barrier (and at end of input) by an operator that sees every input record. The
         * sink keeps the largest position per key and commits, with checkpoint N's files, the
         * positions that arrived before barrier N — also for a checkpoint without files if the
         * position moved. {@code progressId} names the progress in the table (default: the uid
         * prefix); keep it stable across runs. Enables the table's {@code domainMetadata} writer
         * feature at the first progress commit (readers are unaffected).
         */
        public Builder sourceProgress(DataStream<CommitterInput> updates) {
            this.progress = Objects.requireNonNull(updates, "sourceProgress");
            return this;
        }

        /** The name of the progress in the table (default: the uid prefix). */
        public Builder progressId(String id) {
            this.progressId = id;
            return this;
        }

        /** Called around every Delta commit (see {@link CommitListener}). */
        public Builder commitListener(CommitListener listener) {
            this.commitListener = Objects.requireNonNull(listener, "commitListener");
            return this;
        }

        /**
         * Applies every {@link DeltaSinkOptions} option that {@code config} sets (options it does not
         * set keep their current value); values are validated by {@link #append} like the setters'.
         */
        public Builder configure(ReadableConfig config) {
            config.getOptional(DeltaSinkOptions.TABLE_PATH).ifPresent(this::tablePath);
            config.getOptional(DeltaSinkOptions.UID_PREFIX).ifPresent(this::uidPrefix);
            config.getOptional(DeltaSinkOptions.PARTITION_COLUMNS).ifPresent(this::partitionColumns);
            config.getOptional(DeltaSinkOptions.TARGET_FILE_SIZE)
                    .ifPresent(size -> targetFileSizeBytes(size.getBytes()));
            config.getOptional(DeltaSinkOptions.BATCH_ROWS).ifPresent(this::batchRows);
            config.getOptional(DeltaSinkOptions.MAX_OPEN_PARTITIONS).ifPresent(this::maxOpenPartitions);
            config.getOptional(DeltaSinkOptions.ALLOW_REWIND).ifPresent(this::allowRewind);
            config.getOptional(DeltaSinkOptions.SKIP_CHECKPOINTS_ON_RESTORE)
                    .ifPresent(this::skipCheckpointsOnRestore);
            config.getOptional(DeltaSinkOptions.WRITER_PARALLELISM).ifPresent(this::writerParallelism);
            config.getOptional(DeltaSinkOptions.API).ifPresent(this::api);
            return this;
        }

        /**
         * The Flink API to build the sink on (default {@link Api#SINK_FUNCTION} on Flink 1.20,
         * {@link Api#SINK_V2} on Flink 2.x). Changing it changes the operators and their state:
         * switch only as the README section "Flink versions" says.
         *
         * @throws IllegalArgumentException if the Flink line this artifact is built for has no such
         *     API ({@link Api#SINK_FUNCTION} on Flink 2.x)
         */
        public Builder api(Api api) {
            require(
                    FlinkLine.supports(Objects.requireNonNull(api, "api")),
                    "api",
                    api + " does not exist on Flink " + FlinkLine.NAME + "; use " + Api.SINK_V2);
            this.api = api;
            return this;
        }

        /**
         * Off breaks exactly-once on purpose: a restore drops the transactions that a completed
         * checkpoint sealed but that were not committed yet. Not part of the API: tests reach it
         * through the test-jar's {@code SinkTestHooks}, to prove that the exactly-once checks catch
         * a broken sink.
         */
        Builder recoverOnRestore(boolean recover) {
            this.recoverOnRestore = recover;
            return this;
        }

        /** Validates the settings and attaches writer and committer to the input stream. */
        public DataStreamSink<?> append(DataStream<RowData> input) {
            StructType schema = validate();
            boolean unaligned =
                    input.getExecutionEnvironment().getCheckpointConfig().isUnalignedCheckpointsEnabled();
            Map<String, String> conf = new HashMap<>(hadoopConf);
            conf.put(KernelEngines.TARGET_FILE_SIZE_KEY, Long.toString(targetFileSizeBytes));
            DeltaSinkConfig config =
                    new DeltaSinkConfig(
                            tablePath,
                            partitionColumns,
                            conf,
                            tableProperties,
                            batchRows,
                            maxOpenPartitions,
                            retryPolicy,
                            allowRewind,
                            !unaligned,
                            commitListener,
                            recoverOnRestore)
                            .withBatchBytes(batchBytes)
                            .withSkipCheckpointsOnRestore(skipCheckpointsOnRestore)
                            .withProgressId(progress == null ? null : progressId);
            if (verifyTableOnBuild) {
                DeltaTableBootstrap.ensureTable(KernelEngines.create(conf), config, schema);
            }
            if (api == Api.SINK_V2) {
                DataStreamSink<RowData> sink =
                        input.sinkTo(new DeltaSinkV2(rowType, config, uidPrefix, progress))
                                .uid(uidPrefix + "-delta-sink")
                                .name("DeltaSink: " + tablePath);
                if (writerParallelism != null) {
                    sink.setParallelism(writerParallelism);
                }
                return sink;
            }
            return FlinkLine.appendSinkFunction(input, rowType, config, uidPrefix, writerParallelism, progress);
        }

        private StructType validate() {
            require(tablePath != null && !tablePath.isBlank(), "tablePath", "set the table location");
            require(
                    uidPrefix != null && !uidPrefix.isBlank(),
                    "uidPrefix",
                    "set a stable prefix for the operator uids (savepoints are matched by uid)");
            require(targetFileSizeBytes > 0, "targetFileSizeBytes", "use a positive byte count");
            require(
                    batchRows > 0 && batchRows <= 1_000_000,
                    "batchRows",
                    "use a value between 1 and 1000000");
            require(maxOpenPartitions > 0, "maxOpenPartitions", "use a value of at least 1");
            require(batchBytes >= 1024, "batchBytes", "use at least 1024 bytes");
            if (progressId == null) {
                progressId = uidPrefix;
            }
            require(
                    progress == null || progressId != null && progressId.matches("[A-Za-z0-9._-]+"),
                    "progressId",
                    "use letters, digits, '.', '_' or '-' (it names a Delta domain)");
            require(
                    skipCheckpointsOnRestore.stream().allMatch(id -> id > 0),
                    DeltaCommitter.SKIP_CHECKPOINTS_OPTION,
                    "list positive checkpoint ids: " + skipCheckpointsOnRestore);
            require(
                    writerParallelism == null || writerParallelism > 0,
                    "writerParallelism",
                    "use a value of at least 1");
            StructType schema;
            try {
                schema = DeltaSchemaConverter.toDeltaSchema(rowType);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid Delta sink schema: " + e.getMessage(), e);
            }
            List<String> names = schema.fieldNames();
            require(
                    new HashSet<>(partitionColumns).size() == partitionColumns.size(),
                    "partitionColumns",
                    "list each column once: " + partitionColumns);
            for (String column : partitionColumns) {
                require(
                        names.contains(column),
                        "partitionColumns",
                        "'" + column + "' is not a column of the schema " + names);
                StructField field = schema.get(column);
                require(
                        PartitionValues.isSupportedType(field.getDataType()),
                        "partitionColumns",
                        "'" + column + "' has type " + field.getDataType()
                                + "; partition by a string, integer, boolean, date, decimal or"
                                + " timestamp column");
            }
            List<String> dataColumns = new ArrayList<>(names);
            dataColumns.removeAll(partitionColumns);
            require(
                    !dataColumns.isEmpty(),
                    "partitionColumns",
                    "at least one column must not be a partition column");
            return schema;
        }

        private static void require(boolean condition, String option, String fix) {
            if (!condition) {
                throw new IllegalArgumentException(
                        "Invalid Delta sink option '" + option + "': " + fix);
            }
        }
    }
}
