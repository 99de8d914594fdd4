package io.exactlyonce.job.parse;

import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.flink.CommitterInputTypeInfo;
import io.exactlyonce.job.progress.PartitionPositions;
import io.exactlyonce.job.progress.TopicIds;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.stats.StatsCountingOperator;
import io.exactlyonce.job.kafka.KafkaRecord;

import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * Turns Kafka records into order rows; a record that does not parse or validate becomes a
 * dead-letter row (raw value cut to a cap with its full length and hash, reason, lineage) on the
 * {@link #DEAD_LETTERS} side output instead of failing the job or being dropped. Counts dead
 * letters per checkpoint for the metrics table and in the {@code deadLetters} metric. Being the
 * first operator after the source, it also tracks the next offset of every Kafka partition it
 * reads ({@link PartitionPositions}) — every record counts: rows, dead letters and later
 * duplicates — and emits it on {@link #PROGRESS} before each checkpoint barrier and at end of
 * input, for the sinks to commit with their data. Thin Flink glue over {@link OrderParser}.
 */
public final class ParseOperator extends StatsCountingOperator<KafkaRecord> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<RowData> DEAD_LETTERS =
            new OutputTag<>("dead-letters", InternalTypeInfo.of(OrderSchema.DEAD_LETTERS));

    /** The Kafka position of each partition read, before every barrier: for the sinks' progress. */
    public static final OutputTag<CommitterInput> PROGRESS =
            new OutputTag<>("source-progress", CommitterInputTypeInfo.INSTANCE);

    private final int maxRecordBytes;
    private final int maxOrderIdBytes;
    private final int deadLetterMaxValueBytes;
    private boolean countsRows;
    private final Properties consumerProperties;
    private final List<String> topics;
    private transient OrderParser parser;
    private transient PartitionPositions positions;
    private transient DeadLetterRows deadLetterRows;
    private transient Counter deadLetters;

    public ParseOperator(int maxRecordBytes, int maxOrderIdBytes, int deadLetterMaxValueBytes) {
        this(maxRecordBytes, maxOrderIdBytes, deadLetterMaxValueBytes, null, List.of());
    }

    /**
     * A parser that also tracks the position of every Kafka partition it reads and emits it on
     * {@link #PROGRESS} before each checkpoint barrier and at end of input (topic ids are looked up
     * with {@code consumerProperties} when the task opens).
     */
    public ParseOperator(
            int maxRecordBytes,
            int maxOrderIdBytes,
            int deadLetterMaxValueBytes,
            Properties consumerProperties,
            List<String> topics) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxOrderIdBytes = maxOrderIdBytes;
        this.deadLetterMaxValueBytes = deadLetterMaxValueBytes;
        this.consumerProperties = consumerProperties;
        this.topics = List.copyOf(topics);
    }

    /**
     * Counts the parsed rows for the metrics table here: for a job without dedup, where every
     * parsed row goes to the orders table. Returns this operator.
     */
    public ParseOperator countingRows(boolean countsRows) {
        this.countsRows = countsRows;
        return this;
    }

    @Override
    public void open() throws Exception {
        super.open();
        parser = new OrderParser(maxRecordBytes, maxOrderIdBytes);
        deadLetterRows = new DeadLetterRows(deadLetterMaxValueBytes);
        deadLetters = getMetricGroup().counter("deadLetters");
        if (consumerProperties != null) {
            positions = new PartitionPositions(TopicIds.of(consumerProperties, topics));
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        emitProgress();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        emitProgress();
        super.endInput();
    }

    private void emitProgress() {
        if (positions == null) {
            return;
        }
        for (Map.Entry<String, Long> position : positions.drain()) {
            output.collect(PROGRESS, new StreamRecord<>(CommitterInput.progress(position.getKey(), position.getValue())));
        }
    }

    @Override
    public void processElement(StreamRecord<KafkaRecord> element) {
        KafkaRecord r = element.getValue();
        if (positions != null) {
            positions.seen(r.topic, r.partition, r.offset);
        }
        GenericRowData row;
        String error;
        try {
            row = parser.parse(r.value, r.topic, r.partition, r.offset, r.timestamp);
            error = parser.error();
        } catch (RuntimeException e) {
            // a parser bug must not stop the job on one record: keep the record with the reason
            row = null;
            error = "unexpected parse failure: " + e;
        }
        if (row != null) {
            if (countsRows && counts(r.topic, r.partition, r.offset)) {
                countRow(row);
            }
            output.collect(element.replace(row));
            return;
        }
        output.collect(DEAD_LETTERS, new StreamRecord<>(deadLetterRows.of(r, error)));
        if (counts(r.topic, r.partition, r.offset)) {
            stats().deadLetters++;
        }
        deadLetters.inc();
    }
}
