package io.exactlyonce.delta.sink.rowdata;

import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts between Flink's {@link RowType} (the shape of the sink's input {@code RowData}) and the
 * Delta table schema ({@link StructType}).
 *
 * <p>Only types that every Delta reader understands without extra table features are accepted:
 * boolean, tinyint, smallint, int, bigint, float, double, char/varchar/string, binary/bytes,
 * decimal(p, s) with p up to 38, date and {@code TIMESTAMP_LTZ} (Delta {@code timestamp}, stored in
 * microseconds). {@code TIMESTAMP} without time zone is refused because Delta's {@code
 * timestamp_ntz} requires a table feature older readers reject; nested types are refused for now.
 * Refusals name the column and the fix.
 */
@Internal
public final class DeltaSchemaConverter {

    private DeltaSchemaConverter() {}

    public static StructType toDeltaSchema(RowType rowType) {
        List<StructField> fields = new ArrayList<>();
        for (RowType.RowField field : rowType.getFields()) {
            fields.add(
                    new StructField(
                            field.getName(),
                            toDeltaType(field.getName(), field.getType()),
                            field.getType().isNullable()));
        }
        return new StructType(fields);
    }

    static DataType toDeltaType(String column, LogicalType type) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return BooleanType.BOOLEAN;
            case TINYINT:
                return ByteType.BYTE;
            case SMALLINT:
                return ShortType.SHORT;
            case INTEGER:
                return IntegerType.INTEGER;
            case BIGINT:
                return LongType.LONG;
            case FLOAT:
                return FloatType.FLOAT;
            case DOUBLE:
                return DoubleType.DOUBLE;
            case CHAR:
            case VARCHAR:
                return StringType.STRING;
            case BINARY:
            case VARBINARY:
                return BinaryType.BINARY;
            case DECIMAL:
                org.apache.flink.table.types.logical.DecimalType decimal =
                        (org.apache.flink.table.types.logical.DecimalType) type;
                return new DecimalType(decimal.getPrecision(), decimal.getScale());
            case DATE:
                return DateType.DATE;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return TimestampType.TIMESTAMP;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                throw new IllegalArgumentException(
                        "Column '"
                                + column
                                + "' has type "
                                + type
                                + ", which maps to Delta timestamp_ntz, a table feature that older"
                                + " Delta readers cannot read. Declare it as TIMESTAMP_LTZ (an"
                                + " instant; Delta 'timestamp') instead.");
            default:
                throw new IllegalArgumentException(
                        "Column '"
                                + column
                                + "' has type "
                                + type
                                + ", which the Delta sink does not support. Supported: BOOLEAN,"
                                + " TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, STRING, BYTES,"
                                + " DECIMAL, DATE, TIMESTAMP_LTZ.");
        }
    }

    public static RowType toRowType(StructType schema) {
        List<RowType.RowField> fields = new ArrayList<>();
        for (StructField field : schema.fields()) {
            fields.add(
                    new RowType.RowField(
                            field.getName(),
                            toLogicalType(field.getName(), field.getDataType(), field.isNullable())));
        }
        return new RowType(false, fields);
    }

    static LogicalType toLogicalType(String column, DataType type, boolean nullable) {
        if (type instanceof BooleanType) {
            return new org.apache.flink.table.types.logical.BooleanType(nullable);
        } else if (type instanceof ByteType) {
            return new org.apache.flink.table.types.logical.TinyIntType(nullable);
        } else if (type instanceof ShortType) {
            return new org.apache.flink.table.types.logical.SmallIntType(nullable);
        } else if (type instanceof IntegerType) {
            return new org.apache.flink.table.types.logical.IntType(nullable);
        } else if (type instanceof LongType) {
            return new org.apache.flink.table.types.logical.BigIntType(nullable);
        } else if (type instanceof FloatType) {
            return new org.apache.flink.table.types.logical.FloatType(nullable);
        } else if (type instanceof DoubleType) {
            return new org.apache.flink.table.types.logical.DoubleType(nullable);
        } else if (type instanceof StringType) {
            return new org.apache.flink.table.types.logical.VarCharType(
                    nullable, org.apache.flink.table.types.logical.VarCharType.MAX_LENGTH);
        } else if (type instanceof BinaryType) {
            return new org.apache.flink.table.types.logical.VarBinaryType(
                    nullable, org.apache.flink.table.types.logical.VarBinaryType.MAX_LENGTH);
        } else if (type instanceof DecimalType) {
            DecimalType decimal = (DecimalType) type;
            return new org.apache.flink.table.types.logical.DecimalType(
                    nullable, decimal.getPrecision(), decimal.getScale());
        } else if (type instanceof DateType) {
            return new org.apache.flink.table.types.logical.DateType(nullable);
        } else if (type instanceof TimestampType) {
            return new org.apache.flink.table.types.logical.LocalZonedTimestampType(nullable, 6);
        }
        throw new IllegalArgumentException(
                "Column '" + column + "' has Delta type " + type
                        + ", which the Delta sink does not support.");
    }
}
