package io.exactlyonce.deploy.bench;

import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.config.JobConfig;
import io.exactlyonce.job.dedup.DataTime;
import io.exactlyonce.job.dedup.DedupOperator;
import io.exactlyonce.job.dedup.OrderIdKey;
import io.exactlyonce.job.kafka.KafkaRecord;
import io.exactlyonce.job.kafka.KafkaRecordDeserializer;
import io.exactlyonce.job.local.LocalJobRunner;
import io.exactlyonce.job.parse.ParseOperator;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.row.ParquetRowDataBuilder;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;


/**
 * Benchmark child for variant (c): the job's reading, parsing and dedup in front of Flink's own
 * exactly-once {@link FileSink} writing Parquet (files roll at every checkpoint and become visible
 * when it completes; no Delta log, no dead-letter or metrics table). KafkaSource with the job's
 * {@link KafkaRecordDeserializer} and consumer properties (read_committed) → {@link ParseOperator}
 * (chained to the source, as in the job) → keyBy({@link OrderIdKey}) → {@link DedupOperator} →
 * FileSink into {@code --table-path}/event_date=…/ . Takes the job's options, so checkpointing and
 * state backend are the job's; timestamps are written as INT64 microseconds, as Delta writes them.
 */
public final class FileSinkChild {

    private FileSinkChild() {}

    public static void main(String[] args) throws Exception {
        ChildProbe probe = ChildProbe.start();
        JobConfig config = OrdersJob.parseOrPrintUsage(args);
        StreamExecutionEnvironment env = LocalJobRunner.environment(config);
        env.configure(ChildSettings.flinkSettings());
        build(env, config);
        ChildSettings.runAndExit(env, "bench file-sink " + config.topics(), probe);
    }

    static void build(StreamExecutionEnvironment env, JobConfig config) {
        KafkaSourceBuilder<KafkaRecord> source =
                KafkaSource.<KafkaRecord>builder()
                        .setProperties(config.kafkaConsumerProperties())
                        .setBootstrapServers(config.bootstrapServers())
                        .setGroupId(config.groupId())
                        .setTopics(config.topics())
                        .setDeserializer(new KafkaRecordDeserializer())
                        .setStartingOffsets(OffsetsInitializer.earliest());
        if (config.bounded()) {
            source.setBounded(OffsetsInitializer.latest());
        }
        org.apache.hadoop.conf.Configuration parquet = new org.apache.hadoop.conf.Configuration();
        // flink-parquet reads its format options from the Hadoop configuration with the "parquet." prefix
        parquet.setBoolean("parquet.write.int64.timestamp", true);
        parquet.set("parquet.timestamp.time.unit", "micros");
        FileSink<RowData> sink =
                FileSink.forBulkFormat(
                                new Path(config.tablePath()),
                                ParquetRowDataBuilder.createWriterFactory(OrderSchema.ORDERS, parquet, true))
                        .withBucketAssigner(new EventDateBuckets())
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".parquet").build())
                        .build();
        String uid = config.uidPrefix();
        env.fromSource(source.build(), DataTime.watermarks(), "Kafka: " + config.topics())
                .uid(uid + "-kafka-source")
                .transform(
                        "ParseOrders",
                        InternalTypeInfo.of(OrderSchema.ORDERS),
                        new ParseOperator(
                                config.maxRecordBytes(), config.maxOrderIdBytes(), config.deadLetterMaxValueBytes()))
                .uid(uid + "-parse")
                .keyBy(new OrderIdKey())
                .transform("Dedup", InternalTypeInfo.of(OrderSchema.ORDERS), new DedupOperator(config.dedupTtl()))
                .uid(uid + "-dedup")
                .sinkTo(sink)
                .uid(uid + "-file-sink");
    }
}
