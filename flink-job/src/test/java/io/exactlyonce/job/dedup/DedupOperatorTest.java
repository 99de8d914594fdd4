package io.exactlyonce.job.dedup;

import io.exactlyonce.job.OrderSchema;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DedupOperator}: the window counts in data time (Kafka timestamps and
 * watermarks), so wall-clock time and downtime do not shorten it; expired ids are counted; the
 * end-of-input watermark forgets nothing; state of the previous version is still honoured. Each
 * test runs on the heap and on the RocksDB state backend.
 */
class DedupOperatorTest {

    private static final Duration TTL = Duration.ofDays(7);
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T0 = 1_709_288_130_000L; // 2024-03-01

    /** One harness around a DedupOperator, with its metrics readable. */
    private static final class Dedup implements AutoCloseable {
        final KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> harness;
        final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();

        Dedup(OneInputStreamOperator<RowData, RowData> operator, String backend, OperatorSubtaskState restore)
                throws Exception {
            UnregisteredMetricGroups.UnregisteredTaskMetricGroup task =
                    new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
                        @Override
                        public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name) {
                            return metrics;
                        }
                    };
            harness = new KeyedOneInputStreamOperatorTestHarness<>(
                    operator, row -> row.getString(OrderSchema.ORDER_ID).toString(), Types.STRING,
                    new MockEnvironmentBuilder().setMetricGroup(task).build());
            harness.setStateBackend(stateBackend(backend));
            if (restore != null) {
                harness.initializeState(restore);
            }
            harness.open();
        }

        /** Processes an order of {@code id} with Kafka timestamp {@code kafkaTs}; true if it passed. */
        boolean process(String id, long kafkaTs) throws Exception {
            int before = harness.extractOutputValues().size();
            harness.processElement(new StreamRecord<>(order(id, kafkaTs), kafkaTs));
            return harness.extractOutputValues().size() > before;
        }

        long counter(String name) {
            return ((Counter) metrics.get(name)).getCount();
        }

        List<String> idsInState() {
            KeyedStateBackend<String> backend = ((DedupOperator) harness.getOperator()).getKeyedStateBackend();
            try (Stream<String> keys = backend.getKeys(DedupOperator.FIRST_SEEN_STATE, VoidNamespace.INSTANCE)) {
                return keys.collect(Collectors.toList());
            }
        }

        List<String> passed() {
            return harness.extractOutputValues().stream()
                    .map(r -> r.getString(OrderSchema.ORDER_ID).toString())
                    .collect(Collectors.toList());
        }

        OperatorSubtaskState snapshot() throws Exception {
            return harness.snapshot(1L, 1L);
        }

        @Override
        public void close() throws Exception {
            harness.close();
        }
    }

    private static StateBackend stateBackend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    private static GenericRowData order(String id, long kafkaTs) {
        GenericRowData row = new GenericRowData(OrderSchema.ORDERS.getFieldCount());
        row.setField(OrderSchema.ORDER_ID, StringData.fromString(id));
        row.setField(OrderSchema.EVENT_TIME, TimestampData.fromEpochMillis(kafkaTs));
        row.setField(OrderSchema.KAFKA_TIMESTAMP, TimestampData.fromEpochMillis(kafkaTs));
        return row;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void downtimeLongerThanTheTtlDoesNotForgetIds(String backend) throws Exception {
        OperatorSubtaskState savepoint;
        try (Dedup dedup = new Dedup(new DedupOperator(TTL), backend, null)) {
            dedup.harness.setProcessingTime(T0);
            dedup.harness.setStateTtlProcessingTime(T0);
            assertThat(dedup.process("a", T0)).isTrue();
            dedup.harness.processWatermark(T0);
            savepoint = dedup.snapshot();
        }
        // the job is down for 30 days; then it reads the backlog, written one day after "a"
        try (Dedup dedup = new Dedup(new DedupOperator(TTL), backend, savepoint)) {
            dedup.harness.setProcessingTime(T0 + 30 * DAY);
            dedup.harness.setStateTtlProcessingTime(T0 + 30 * DAY);
            assertThat(dedup.process("a", T0 + DAY)).as("duplicate one day of data later").isFalse();
            dedup.harness.processWatermark(T0 + DAY);
            assertThat(dedup.process("a", T0 + 6 * DAY)).as("duplicate six days of data later").isFalse();
            assertThat(dedup.counter("duplicatesDropped")).isEqualTo(2);
            assertThat(dedup.counter("idsExpired")).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void anIdIsForgottenWhenTheWatermarkPassesFirstSeenPlusTtl(String backend) throws Exception {
        try (Dedup dedup = new Dedup(new DedupOperator(TTL), backend, null)) {
            assertThat(dedup.process("a", T0)).isTrue();
            assertThat(dedup.process("b", T0 + DAY)).isTrue();
            dedup.harness.processWatermark(T0 + 7 * DAY - 1);
            assertThat(dedup.process("a", T0 + 7 * DAY - 1)).as("last millisecond of the window").isFalse();
            assertThat(dedup.counter("idsExpired")).isZero();

            dedup.harness.processWatermark(T0 + 7 * DAY);
            assertThat(dedup.counter("idsExpired")).as("a expired, b not yet").isEqualTo(1);
            assertThat(dedup.idsInState()).as("only b left in state").containsExactly("b");
            assertThat(dedup.process("a", T0 + 7 * DAY + 5)).as("a after its window").isTrue();
            assertThat(dedup.process("b", T0 + 7 * DAY + 5)).as("b within its window").isFalse();
            assertThat(dedup.passed()).containsExactly("a", "b", "a");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aRecordPastTheWindowPassesEvenBeforeTheWatermarkGetsThere(String backend) throws Exception {
        try (Dedup dedup = new Dedup(new DedupOperator(TTL), backend, null)) {
            assertThat(dedup.process("a", T0)).isTrue();
            // another partition holds the watermark back; this record is 8 days of data later
            assertThat(dedup.process("a", T0 + 8 * DAY)).isTrue();
            assertThat(dedup.counter("idsExpired")).isEqualTo(1);
            // the first occurrence's timer fires but must not forget the re-admitted id
            dedup.harness.processWatermark(T0 + 7 * DAY);
            assertThat(dedup.process("a", T0 + 9 * DAY)).isFalse();
            assertThat(dedup.counter("idsExpired")).isEqualTo(1);
            assertThat(dedup.process("a", T0 - DAY)).as("an older copy is a duplicate too").isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void endOfInputWatermarkForgetsNothing(String backend) throws Exception {
        OperatorSubtaskState drained;
        try (Dedup dedup = new Dedup(new DedupOperator(TTL), backend, null)) {
            assertThat(dedup.process("a", T0)).isTrue();
            dedup.harness.processWatermark(Long.MAX_VALUE); // end of a bounded run, stop --drain
            assertThat(dedup.counter("idsExpired")).isZero();
            drained = dedup.snapshot();
        }
        try (Dedup dedup = new Dedup(new DedupOperator(TTL), backend, drained)) {
            assertThat(dedup.process("a", T0 + DAY)).as("remembered after a drained savepoint").isFalse();
            dedup.harness.processWatermark(T0 + 7 * DAY);
            assertThat(dedup.counter("idsExpired")).as("its timer survived the drain").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void stateOfThePreviousVersionIsHonoured(String backend) throws Exception {
        OperatorSubtaskState old;
        try (Dedup dedup = new Dedup(new PreviousVersionDedup(), backend, null)) {
            dedup.harness.setStateTtlProcessingTime(T0);
            dedup.process("a", T0);
            dedup.process("b", T0);
            old = dedup.snapshot();
        }
        try (Dedup dedup = new Dedup(new DedupOperator(TTL), backend, old)) {
            dedup.harness.setStateTtlProcessingTime(T0 + DAY);
            assertThat(dedup.process("a", T0 + DAY)).as("seen by the previous version").isFalse();
            assertThat(dedup.process("c", T0 + DAY)).as("new id").isTrue();
            assertThat(dedup.process("a", T0 + 2 * DAY)).as("moved to the new state").isFalse();
            assertThat(dedup.counter("duplicatesDropped")).isEqualTo(2);
        }
    }

    /** Writes the keyed state exactly as earlier builds did: a "seen" flag with a TTL. */
    private static final class PreviousVersionDedup extends AbstractStreamOperator<RowData>
            implements OneInputStreamOperator<RowData, RowData> {
        private transient ValueState<Boolean> seen;

        @Override
        public void open() throws Exception {
            super.open();
            seen = getRuntimeContext().getState(DedupOperator.legacySeenDescriptor(TTL));
        }

        @Override
        public void processElement(StreamRecord<RowData> element) throws Exception {
            if (seen.value() == null) {
                seen.update(Boolean.TRUE);
                output.collect(element);
            }
        }
    }
}
