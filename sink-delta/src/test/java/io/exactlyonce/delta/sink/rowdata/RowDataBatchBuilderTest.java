package io.exactlyonce.delta.sink.rowdata;

import io.exactlyonce.delta.sink.testutil.TestRows;

import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.StructType;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RowDataBatchBuilder}'s batch limits: a batch ends at its row count or at its
 * byte cap, so rows with huge values cannot pile up thousands deep in memory.
 */
class RowDataBatchBuilderTest {

    private static final StructType SCHEMA = DeltaSchemaConverter.toDeltaSchema(TestRows.ROW_TYPE);

    @Test
    void aBatchOfHugeStringsEndsAtItsByteCap() {
        long cap = 8L << 20;
        RowDataBatchBuilder builder = new RowDataBatchBuilder(TestRows.ROW_TYPE, SCHEMA, 4096, cap);
        String mib = "x".repeat(1 << 20);
        int rows = 0;
        while (!builder.isFull()) {
            builder.add(row(rows++, mib));
        }
        assertThat(rows).as("rows of 1 MiB strings in an 8 MiB batch").isBetween(3, 8);
        assertThat(builder.bytes()).isGreaterThanOrEqualTo(cap).isLessThan(cap + (3L << 20));
        ColumnarBatch batch = builder.build();
        assertThat(batch.getSize()).isEqualTo(rows);
        assertThat(builder.size()).isZero();
        assertThat(builder.bytes()).as("a new batch starts empty").isZero();
    }

    @Test
    void aBatchOfSmallRowsEndsAtItsRowCount() {
        RowDataBatchBuilder builder = new RowDataBatchBuilder(TestRows.ROW_TYPE, SCHEMA, 100, 8L << 20);
        for (int i = 0; i < 99; i++) {
            builder.add(TestRows.row(i));
            assertThat(builder.isFull()).isFalse();
        }
        builder.add(TestRows.row(99));
        assertThat(builder.isFull()).isTrue();
        assertThat(builder.build().getSize()).isEqualTo(100);
    }

    private static GenericRowData row(long id, String name) {
        return GenericRowData.of(
                id,
                StringData.fromString(name),
                DecimalData.fromBigDecimal(BigDecimal.ONE, 18, 2),
                TestRows.BASE_DAY,
                TimestampData.fromEpochMillis(0));
    }
}
