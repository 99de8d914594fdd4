package io.exactlyonce.delta.sink.testutil;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

import java.math.BigDecimal;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The test table's row shape, {@code (id BIGINT NOT NULL, name STRING, amount DECIMAL(18,2),
 * event_date DATE, ts TIMESTAMP_LTZ(6))}, and a deterministic row for every id: a replay of the
 * same id produces the same row. Rows spread over three dates, so partitioned tables get three
 * partitions.
 */
public final class TestRows {

    public static final RowType ROW_TYPE =
            RowType.of(
                    new org.apache.flink.table.types.logical.LogicalType[] {
                        new BigIntType(false),
                        new VarCharType(VarCharType.MAX_LENGTH),
                        new DecimalType(18, 2),
                        new DateType(),
                        new LocalZonedTimestampType(6)
                    },
                    new String[] {"id", "name", "amount", "event_date", "ts"});

    /** 2024-01-01 as days since epoch. */
    public static final int BASE_DAY = 19723;

    private TestRows() {}

    public static RowData row(long id) {
        long micros = (BASE_DAY + id % 3) * 86_400_000_000L + id;
        return GenericRowData.of(
                id,
                id % 7 == 0 ? null : StringData.fromString("name-" + id),
                DecimalData.fromBigDecimal(BigDecimal.valueOf(id, 2), 18, 2),
                (int) (BASE_DAY + id % 3),
                TimestampData.fromEpochMillis(micros / 1000, (int) (micros % 1000) * 1000));
    }

    public static Set<Long> ids(long from, long toExclusive) {
        return LongStream.range(from, toExclusive).boxed().collect(Collectors.toSet());
    }
}
