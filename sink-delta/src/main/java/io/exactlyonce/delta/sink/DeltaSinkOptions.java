package io.exactlyonce.delta.sink;

import io.exactlyonce.delta.sink.flink.FlinkLine;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;

import java.util.List;

import static org.apache.flink.configuration.ConfigOptions.key;

/**
 * The Delta sink's options as typed Flink {@link ConfigOption}s, for jobs (and connectors) that take
 * their settings from a configuration: {@link DeltaSink.Builder#configure} applies every option that
 * is set, in one call. Each option is documented at the builder method of the same name; the notes
 * here say what changing it does to a restore.
 */
@PublicEvolving
public final class DeltaSinkOptions {

    private DeltaSinkOptions() {}

    public static final ConfigOption<String> TABLE_PATH =
            key("delta.sink.table-path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Table location: any Hadoop-compatible file system URI or a local path.");

    public static final ConfigOption<String> UID_PREFIX =
            key("delta.sink.uid-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the sink's operator uids. Changing it orphans the committer's"
                                    + " state: a restore no longer finds the pending transactions or the appId.");

    public static final ConfigOption<List<String>> PARTITION_COLUMNS =
            key("delta.sink.partition-columns")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription("Partition columns; must match an existing table's.");

    public static final ConfigOption<MemorySize> TARGET_FILE_SIZE =
            key("delta.sink.target-file-size")
                    .memoryType()
                    .defaultValue(MemorySize.parse(DeltaSink.DEFAULT_TARGET_FILE_SIZE_BYTES + "b"))
                    .withDescription("A Parquet file is closed at about this size. Safe to change on restore.");

    public static final ConfigOption<Integer> BATCH_ROWS =
            key("delta.sink.batch-rows")
                    .intType()
                    .defaultValue(DeltaSink.DEFAULT_BATCH_ROWS)
                    .withDescription("Rows per batch handed to the Parquet writer. Safe to change on restore.");

    public static final ConfigOption<Integer> MAX_OPEN_PARTITIONS =
            key("delta.sink.max-open-partitions")
                    .intType()
                    .defaultValue(DeltaSink.DEFAULT_MAX_OPEN_PARTITIONS)
                    .withDescription("Partitions with an open file per writer subtask. Safe to change on restore.");

    public static final ConfigOption<Boolean> ALLOW_REWIND =
            key("delta.sink.allow-rewind")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Accept restoring a savepoint older than the table: the sink continues under"
                                    + " a new appId and writes the re-read range again.");

    public static final ConfigOption<List<Long>> SKIP_CHECKPOINTS_ON_RESTORE =
            key("delta.sink.skip-checkpoints-on-restore")
                    .longType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Checkpoint ids whose pending transactions a restore skips (and quarantines)"
                                    + " if they cannot be committed. Remove once the job runs again.");

    public static final ConfigOption<Integer> WRITER_PARALLELISM =
            key("delta.sink.writer-parallelism")
                    .intType()
                    .noDefaultValue()
                    .withDescription("Writer parallelism; by default the input's. Safe to change on restore.");

    public static final ConfigOption<DeltaSink.Api> API =
            key("delta.sink.api")
                    .enumType(DeltaSink.Api.class)
                    .defaultValue(FlinkLine.DEFAULT_API)
                    .withDescription(
                            "The Flink API the sink is built on: SINK_FUNCTION (the default on Flink 1.20) or"
                                    + " SINK_V2 (the only one, and the default, on Flink 2.x). Changing it changes the operators and"
                                    + " their state: switch with stop-with-savepoint (README 'Flink versions').");
}
