package io.exactlyonce.job.parse;

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
 * dead-letter row (raw value cut to a cap with its full length and hash, reason, lineage) on the {@link #DEAD_LETTERS} side output instead of
 * failing the job or being dropped. Counts dead letters per checkpoint for the metrics table and in
 * the {@code deadLetters} metric. Thin Flink glue over {@link OrderParser}.
 */
public final class ParseOperator extends StatsCountingOperator<KafkaRecord> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<RowData> DEAD_LETTERS =
            new OutputTag<>("dead-letters", InternalTypeInfo.of(OrderSchema.DEAD_LETTERS));

    private final int maxRecordBytes;
    private final int maxOrderIdBytes;
    private final int deadLetterMaxValueBytes;
    private transient OrderParser parser;
    private transient DeadLetterRows deadLetterRows;
    private transient Counter deadLetters;

    public ParseOperator(int maxRecordBytes, int maxOrderIdBytes, int deadLetterMaxValueBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxOrderIdBytes = maxOrderIdBytes;
        this.deadLetterMaxValueBytes = deadLetterMaxValueBytes;
    }

    @Override
    public void open() throws Exception {
        super.open();
        parser = new OrderParser(maxRecordBytes, maxOrderIdBytes);
        deadLetterRows = new DeadLetterRows(deadLetterMaxValueBytes);
        deadLetters = getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(StreamRecord<KafkaRecord> element) {
        KafkaRecord r = element.getValue();
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
            output.collect(element.replace(row));
            return;
        }
        output.collect(DEAD_LETTERS, new StreamRecord<>(deadLetterRows.of(r, error)));
        stats().deadLetters++;
        deadLetters.inc();
    }
}
