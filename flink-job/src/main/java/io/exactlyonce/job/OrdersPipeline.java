package io.exactlyonce.job;

import io.exactlyonce.delta.sink.DeltaSink;
import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.job.progress.CoveredRowsFilter;
import io.exactlyonce.job.progress.JobTables;
import io.exactlyonce.job.progress.PositionFloor;
import io.exactlyonce.job.progress.TableStartingOffsets;
import io.exactlyonce.job.config.JobConfig;
import io.exactlyonce.job.dedup.DataTime;
import io.exactlyonce.job.dedup.DedupOperator;
import io.exactlyonce.job.dedup.OrderIdKey;
import io.exactlyonce.job.kafka.CheckedKafkaSource;
import io.exactlyonce.job.kafka.CommittedStartGuard;
import io.exactlyonce.job.kafka.KafkaOffsetRangeCheck;
import io.exactlyonce.job.kafka.KafkaRecord;
import io.exactlyonce.job.kafka.KafkaRecordDeserializer;
import io.exactlyonce.job.kafka.LostRecordsPolicy;
import io.exactlyonce.job.kafka.StartingOffsets;
import io.exactlyonce.job.parse.ParseOperator;
import io.exactlyonce.job.stats.StatsCountingOperator;
import io.exactlyonce.job.stats.BatchStats;
import io.exactlyonce.job.stats.MetricsOperator;
import io.exactlyonce.job.stats.StatsEmitter;

import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Wires the job graph: KafkaSource → parse (dead letters and the Kafka position of every
 * partition to side outputs) → keyBy(order_id) → dedup → Delta sink for orders; the dead letters
 * into their own Delta table; per-checkpoint counts into the metrics table. All three tables are
 * written by the exactly-once sink, each recording the Kafka positions with its data, so that a
 * start without Flink state ({@code --starting-offsets table}) resumes from the tables: the source
 * starts at their lowest position, each table drops the rows it holds ({@link CoveredRowsFilter}),
 * the metrics count only what the metrics table has not, and dedup first remembers the orders
 * table's ids. Every operator has a stable uid derived from {@code --uid-prefix}. Used by the job's
 * main, the embedded runner and the tests, so they run the same graph.
 */
public final class OrdersPipeline {

    /** The uid (after {@code --uid-prefix}) of the map {@link #buildWithMapAfterSource} inserts. */
    public static final String MAP_AFTER_SOURCE_UID_SUFFIX = "-failure-injection";

    private OrdersPipeline() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, sink -> {});
    }

    /**
     * Builds the graph; {@code ordersSink} may adjust the orders table's sink builder (commit
     * listeners, test hooks) before it is attached.
     */
    public static void build(
            StreamExecutionEnvironment env, JobConfig config, java.util.function.Consumer<DeltaSink.Builder> ordersSink) {
        build(env, config, null, ordersSink);
    }

    /**
     * Not part of the job's API: the graph of {@link #build(StreamExecutionEnvironment, JobConfig,
     * java.util.function.Consumer)} with {@code afterSource} chained right after the Kafka source,
     * for failure injection by tests and the demo (a map there fails between checkpoints rather than
     * behind queued barriers). The map gets the uid {@link #MAP_AFTER_SOURCE_UID_SUFFIX} under the
     * prefix; every other operator keeps its uid, so checkpoints of a run with the map restore into
     * a run without it and back (the map must not keep state).
     */
    @VisibleForTesting
    public static void buildWithMapAfterSource(
            StreamExecutionEnvironment env,
            JobConfig config,
            MapFunction<KafkaRecord, KafkaRecord> afterSource,
            java.util.function.Consumer<DeltaSink.Builder> ordersSink) {
        build(env, config, java.util.Objects.requireNonNull(afterSource, "afterSource"), ordersSink);
    }

    private static void build(
            StreamExecutionEnvironment env,
            JobConfig config,
            MapFunction<KafkaRecord, KafkaRecord> afterSource,
            java.util.function.Consumer<DeltaSink.Builder> ordersSink) {
        String uid = config.uidPrefix();
        JobTables tables = tables(config);
        // a start without state begins at the tables' positions; each table then skips what it holds
        // (not with --allow-rewind: re-processing a range on purpose must not be filtered by the positions)
        Map<JobTables.Table, SourceProgress> recorded =
                config.startingOffsets().equals("table") && !config.allowRewind() ? tables.read() : Map.of();
        PositionFloor metricsTable = floor(recorded, tables.tables().get(2), config);
        DataStream<KafkaRecord> records =
                env.fromSource(kafkaSource(config, tables), DataTime.watermarks(), "Kafka: " + config.topics())
                        .uid(uid + "-kafka-source");
        if (afterSource != null) {
            records =
                    records.map(afterSource)
                            .returns(TypeInformation.of(KafkaRecord.class))
                            .name("FailureInjection")
                            .uid(uid + MAP_AFTER_SOURCE_UID_SUFFIX);
        }

        SingleOutputStreamOperator<RowData> orders =
                StatsCountingOperator.chainedToInput(records.transform(
                                "ParseOrders",
                                InternalTypeInfo.of(OrderSchema.ORDERS),
                                new ParseOperator(
                                        config.maxRecordBytes(),
                                        config.maxOrderIdBytes(),
                                        config.deadLetterMaxValueBytes(),
                                        config.kafkaConsumerProperties(),
                                        config.topics())
                                        .countingRows(!config.dedup())
                                        .countingFrom(metricsTable)))
                        .uid(uid + "-parse");
        DataStream<CommitterInput> progress = orders.getSideOutput(ParseOperator.PROGRESS);
        DataStream<RowData> deadLetters =
                notYetIn(recorded, tables.tables().get(1), orders.getSideOutput(ParseOperator.DEAD_LETTERS), config,
                        OrderSchema.DL_KAFKA_TOPIC, OrderSchema.DL_KAFKA_PARTITION, OrderSchema.DL_KAFKA_OFFSET,
                        uid + "-dead-letters-not-yet-in-table");

        SingleOutputStreamOperator<RowData> unique = config.dedup() ? dedup(orders, config, metricsTable) : orders;

        DataStream<BatchStats> stats =
                config.dedup()
                        ? orders.getSideOutput(StatsEmitter.STATS).union(unique.getSideOutput(StatsEmitter.STATS))
                        : orders.getSideOutput(StatsEmitter.STATS);
        SingleOutputStreamOperator<RowData> metricsRows =
                stats.transform(
                                "CheckpointMetrics",
                                InternalTypeInfo.of(OrderSchema.METRICS),
                                new MetricsOperator())
                        .uid(uid + "-metrics")
                        .setParallelism(1)
                        .setMaxParallelism(1);

        DeltaSink.Builder ordersBuilder =
                sink(config, OrderSchema.ORDERS, config.tablePath(), uid + "-orders", progress)
                        .partitionColumns(OrderSchema.ORDERS_PARTITION_COLUMNS);
        ordersSink.accept(ordersBuilder);
        ordersBuilder.append(
                notYetIn(recorded, tables.tables().get(0), unique, config,
                        OrderSchema.KAFKA_TOPIC, OrderSchema.KAFKA_PARTITION, OrderSchema.KAFKA_OFFSET,
                        uid + "-orders-not-yet-in-table"));
        sink(config, OrderSchema.DEAD_LETTERS, config.deadLetterPath(), uid + "-dead-letters", progress)
                .append(deadLetters);
        sink(config, OrderSchema.METRICS, config.metricsPath(), uid + "-metrics-table", progress)
                .writerParallelism(1)
                .append(metricsRows);
    }

    /** keyBy(order_id) → the first occurrence of each id within the dedup window. */
    private static SingleOutputStreamOperator<RowData> dedup(
            SingleOutputStreamOperator<RowData> orders, JobConfig config, PositionFloor metricsTable) {
        return StatsCountingOperator.chainedToInput(orders.keyBy(new OrderIdKey())
                .transform(
                        "Dedup",
                        InternalTypeInfo.of(OrderSchema.ORDERS),
                        new DedupOperator(
                                        config.dedupTtl(),
                                        config.startingOffsets().equals("table") ? config.tablePath() : null)
                                .readingWith(config.tableConf())
                                .countingFrom(metricsTable)))
                .uid(config.uidPrefix() + "-dedup");
    }

    /**
     * The job's tables with their sinks' progress ids (the sinks' uid prefixes): orders, dead
     * letters, metrics.
     */
    public static JobTables tables(JobConfig config) {
        String uid = config.uidPrefix();
        return new JobTables(List.of(
                new JobTables.Table(config.tablePath(), uid + "-orders"),
                new JobTables.Table(config.deadLetterPath(), uid + "-dead-letters"),
                new JobTables.Table(config.metricsPath(), uid + "-metrics-table")), config.tableConf());
    }

    /** The positions {@code table} recorded, as a test of what it already holds. */
    private static PositionFloor floor(Map<JobTables.Table, SourceProgress> recorded, JobTables.Table table, JobConfig config) {
        return new PositionFloor(
                recorded.getOrDefault(table, SourceProgress.empty()), config.kafkaConsumerProperties(), config.topics());
    }

    /** The rows not yet in the table, after a start from the tables' positions (see {@link CoveredRowsFilter}). */
    private static DataStream<RowData> notYetIn(
            Map<JobTables.Table, SourceProgress> recorded,
            JobTables.Table table,
            DataStream<RowData> rows,
            JobConfig config,
            int topicField,
            int partitionField,
            int offsetField,
            String uid) {
        return rows.filter(new CoveredRowsFilter(floor(recorded, table, config), topicField, partitionField, offsetField))
                .name("NotYetIn: " + table.path)
                .uid(uid);
    }

    private static DeltaSink.Builder sink(
            JobConfig config,
            org.apache.flink.table.types.logical.RowType type,
            String path,
            String uid,
            DataStream<CommitterInput> progress) {
        return DeltaSink.forRowType(type)
                .tablePath(path)
                .hadoopConfig(config.tableConf())
                .uidPrefix(uid)
                .sourceProgress(progress)
                .targetFileSizeBytes(config.targetFileSizeBytes())
                .api(config.sinkApi())
                .allowRewind(config.allowRewind())
                .skipCheckpointsOnRestore(config.skipCheckpointsOnRestore());
    }

    /**
     * Flink's KafkaSource reading with the job's consumer properties (read_committed, the options'
     * servers and group), the starting offsets of {@link StartingOffsets} ({@code auto.offset.reset=none})
     * and the checks of {@link CheckedKafkaSource} around it.
     */
    static CheckedKafkaSource<KafkaRecord> kafkaSource(JobConfig config, JobTables tables) {
        Properties consumer = config.kafkaConsumerProperties();
        KafkaSourceBuilder<KafkaRecord> builder =
                KafkaSource.<KafkaRecord>builder()
                        .setProperties(consumer)
                        .setBootstrapServers(config.bootstrapServers())
                        .setGroupId(config.groupId())
                        .setTopics(config.topics())
                        .setDeserializer(new KafkaRecordDeserializer())
                        .setStartingOffsets(
                                config.startingOffsets().equals("table")
                                        ? new TableStartingOffsets(tables, consumer, config.acceptLostKafkaRecords())
                                        : StartingOffsets.of(config.startingOffsets(), startingTimestamp(config)));
        if (config.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return new CheckedKafkaSource<>(
                builder.build(),
                new LostRecordsPolicy(new KafkaOffsetRangeCheck(consumer), config.acceptLostKafkaRecords()),
                new CommittedStartGuard(
                        config.tablePath(),
                        config.groupId(),
                        config.startingOffsets().equals("committed"),
                        config.acceptCommittedOffsetsGap(),
                        config.tableConf()));
    }

    private static long startingTimestamp(JobConfig config) {
        return config.startingOffsets().startsWith("timestamp:") ? config.startingTimestampMs() : -1L;
    }
}
