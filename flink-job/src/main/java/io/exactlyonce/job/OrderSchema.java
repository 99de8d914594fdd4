package io.exactlyonce.job;

import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import java.util.List;

/**
 * The one place where the job's three tables are declared: the orders table (the JSON order
 * fields, Kafka lineage, and the {@code event_date} partition column), the dead-letter table and
 * the per-checkpoint metrics table. Field positions are constants so the hot path reads and writes
 * rows by index.
 */
public final class OrderSchema {

    // orders table
    public static final int ORDER_ID = 0;
    public static final int CUSTOMER_ID = 1;
    public static final int AMOUNT = 2;
    public static final int CURRENCY = 3;
    public static final int EVENT_TIME = 4;
    public static final int KAFKA_TOPIC = 5;
    public static final int KAFKA_PARTITION = 6;
    public static final int KAFKA_OFFSET = 7;
    public static final int KAFKA_TIMESTAMP = 8;
    public static final int EVENT_DATE = 9;

    public static final int AMOUNT_PRECISION = 18;
    public static final int AMOUNT_SCALE = 2;

    public static final RowType ORDERS =
            row(
                    new String[] {
                        "order_id", "customer_id", "amount", "currency", "event_time",
                        "_kafka_topic", "_kafka_partition", "_kafka_offset", "_kafka_timestamp",
                        "event_date"
                    },
                    new VarCharType(false, VarCharType.MAX_LENGTH),
                    new VarCharType(true, VarCharType.MAX_LENGTH),
                    new DecimalType(true, AMOUNT_PRECISION, AMOUNT_SCALE),
                    new VarCharType(true, VarCharType.MAX_LENGTH),
                    new LocalZonedTimestampType(false, 6),
                    new VarCharType(false, VarCharType.MAX_LENGTH),
                    new IntType(false),
                    new BigIntType(false),
                    new LocalZonedTimestampType(false, 3),
                    new DateType(false));

    public static final List<String> ORDERS_PARTITION_COLUMNS = List.of("event_date");

    // dead-letter table
    public static final int DL_RAW_VALUE = 0;
    public static final int DL_ERROR = 1;
    public static final int DL_KAFKA_TOPIC = 2;
    public static final int DL_KAFKA_PARTITION = 3;
    public static final int DL_KAFKA_OFFSET = 4;
    public static final int DL_KAFKA_TIMESTAMP = 5;
    public static final int DL_RAW_VALUE_LENGTH = 6;
    public static final int DL_RAW_VALUE_SHA256 = 7;

    /**
     * The dead-letter table. {@code raw_value} is the record's value cut to {@code
     * --dead-letter-max-value-bytes}; {@code raw_value_length} and {@code raw_value_sha256} (lower-case
     * hex) describe the whole value (all three null for a tombstone). The last two columns are new: a
     * dead-letter table written by an earlier build does not match and the job refuses to
     * start on it (see the README, "Upgrading from an earlier build").
     */
    public static final RowType DEAD_LETTERS =
            row(
                    new String[] {
                        "raw_value", "error", "_kafka_topic", "_kafka_partition", "_kafka_offset",
                        "_kafka_timestamp", "raw_value_length", "raw_value_sha256"
                    },
                    new VarBinaryType(true, VarBinaryType.MAX_LENGTH),
                    new VarCharType(false, VarCharType.MAX_LENGTH),
                    new VarCharType(false, VarCharType.MAX_LENGTH),
                    new IntType(false),
                    new BigIntType(false),
                    new LocalZonedTimestampType(false, 3),
                    new BigIntType(true),
                    new VarCharType(true, VarCharType.MAX_LENGTH));

    // metrics table
    public static final RowType METRICS =
            row(
                    new String[] {
                        "checkpoint_id", "rows", "amount_sum", "duplicates_dropped", "dead_letters",
                        "min_event_time", "max_event_time"
                    },
                    new BigIntType(false),
                    new BigIntType(false),
                    new DecimalType(false, 38, AMOUNT_SCALE),
                    new BigIntType(false),
                    new BigIntType(false),
                    new LocalZonedTimestampType(true, 6),
                    new LocalZonedTimestampType(true, 6));

    private OrderSchema() {}

    private static RowType row(String[] names, LogicalType... types) {
        return RowType.of(false, types, names);
    }
}
