package io.exactlyonce.job.stats;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MetricsOperator} labels each metrics row with the checkpoint that commits it: one row per
 * checkpoint that saw records, none for an empty one, and at end of input the id after the last
 * checkpoint it saw or was restored from, so ids never repeat across a restore.
 */
class MetricsOperatorTest {

    @Test
    void eachCheckpointWithRecordsGetsOneRowAndEndOfInputTheNextId() throws Exception {
        try (OneInputStreamOperatorTestHarness<BatchStats, RowData> h = harness()) {
            h.open();
            h.processElement(stats(2), 0);
            h.prepareSnapshotPreBarrier(3);
            h.prepareSnapshotPreBarrier(4); // nothing arrived: no row
            h.processElement(stats(5), 0);
            h.endInput();

            assertThat(rows(h)).containsExactly("3:2", "5:5");
        }
    }

    @Test
    void aRestoredRunThatEndsBeforeItsFirstCheckpointLabelsAfterTheRestoredOne() throws Exception {
        OperatorSubtaskState state;
        try (OneInputStreamOperatorTestHarness<BatchStats, RowData> first = harness()) {
            first.open();
            first.processElement(stats(1), 0);
            first.prepareSnapshotPreBarrier(7);
            state = first.snapshot(7, 7);
            assertThat(rows(first)).containsExactly("7:1");
        }
        try (OneInputStreamOperatorTestHarness<BatchStats, RowData> restored = harness()) {
            // no restored checkpoint id: Flink gives none to a task whose operators hold no state
            restored.initializeState(state);
            restored.open();
            restored.processElement(stats(4), 0);
            restored.endInput();

            assertThat(rows(restored)).as("not 1: checkpoint 7's row is already in the table").containsExactly("8:4");
        }
    }

    private static OneInputStreamOperatorTestHarness<BatchStats, RowData> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new MetricsOperator());
    }

    private static BatchStats stats(int rows) {
        BatchStats stats = new BatchStats();
        for (int i = 0; i < rows; i++) {
            stats.addRow(BigDecimal.ONE, 1_000L + i);
        }
        return stats;
    }

    /** The emitted rows as "checkpoint id:rows". */
    private static List<String> rows(OneInputStreamOperatorTestHarness<BatchStats, RowData> h) {
        List<String> rows = new ArrayList<>();
        for (Object record : h.getOutput()) {
            if (record instanceof StreamRecord) {
                RowData row = (RowData) ((StreamRecord<?>) record).getValue();
                rows.add(row.getLong(0) + ":" + row.getLong(1));
            }
        }
        return rows;
    }
}
