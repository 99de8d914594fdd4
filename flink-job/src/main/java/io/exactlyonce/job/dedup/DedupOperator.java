package io.exactlyonce.job.dedup;

import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.stats.StatsCountingOperator;

import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

import java.time.Duration;

/**
 * Keyed by {@code order_id}: the first occurrence of an id passes, later ones are dropped and
 * counted ({@code duplicatesDropped} metric and the metrics table). The "seen" flag lives in keyed
 * {@link ValueState} with a TTL (an id seen again after the TTL passes again); it is checkpointed
 * together with the Kafka offsets, so after a failure both rewind together and a replayed record is
 * neither lost nor passed twice.
 */
public final class DedupOperator extends StatsCountingOperator<RowData> {

    private static final long serialVersionUID = 1L;

    /** Name of the keyed state; part of the savepoint format (state-tools read it). */
    public static final String SEEN_STATE = "seen";

    private final Duration ttl;
    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    public DedupOperator(Duration ttl) {
        this.ttl = ttl;
    }

    /** The keyed state's descriptor, with its TTL. */
    public static ValueStateDescriptor<Boolean> seenDescriptor(Duration ttl) {
        ValueStateDescriptor<Boolean> descriptor =
                new ValueStateDescriptor<>(SEEN_STATE, BooleanSerializer.INSTANCE);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        return descriptor;
    }

    @Override
    public void open() throws Exception {
        super.open();
        seen = getRuntimeContext().getState(seenDescriptor(ttl));
        duplicates = getMetricGroup().counter("duplicatesDropped");
    }

    @Override
    public void processElement(StreamRecord<RowData> element) throws Exception {
        if (seen.value() != null) {
            stats().duplicates++;
            duplicates.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        RowData row = element.getValue();
        DecimalData amount =
                row.isNullAt(OrderSchema.AMOUNT)
                        ? null
                        : row.getDecimal(OrderSchema.AMOUNT, OrderSchema.AMOUNT_PRECISION, OrderSchema.AMOUNT_SCALE);
        TimestampData eventTime = row.getTimestamp(OrderSchema.EVENT_TIME, 6);
        stats()
                .addRow(
                        amount == null ? null : amount.toBigDecimal(),
                        eventTime.getMillisecond() * 1000L + eventTime.getNanoOfMillisecond() / 1000);
        output.collect(element);
    }
}
