package io.exactlyonce.delta.sink.core;

import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts partition values between their in-memory form (as the writer extracts them), the string
 * form carried by {@link StagedFile}, and Kernel {@link Literal}s used to build write contexts and
 * {@code add} actions.
 *
 * <p>Supported partition column types: string, byte, short, int, long, boolean, date, decimal and
 * timestamp. Other types (floating point, binary, nested) are refused when the sink is built,
 * because their partition directory names do not round-trip reliably across Delta readers.
 */
public final class PartitionValues {

    private PartitionValues() {}

    /** Whether the type may be used as a partition column. */
    public static boolean isSupportedType(DataType type) {
        return type instanceof StringType
                || type instanceof ByteType
                || type instanceof ShortType
                || type instanceof IntegerType
                || type instanceof LongType
                || type instanceof BooleanType
                || type instanceof DateType
                || type instanceof DecimalType
                || type instanceof TimestampType;
    }

    /**
     * String form of an in-memory value: {@code String}, boxed integers and {@code Boolean} as
     * themselves, dates as {@code Integer} days since epoch, timestamps as {@code Long} microseconds
     * since epoch, decimals as {@code BigDecimal}. Null stays null.
     */
    public static String toText(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        if (type instanceof DateType) {
            return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
        }
        if (type instanceof TimestampType) {
            long micros = ((Number) value).longValue();
            return Instant.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L),
                            Math.floorMod(micros, 1_000_000L) * 1_000L)
                    .toString();
        }
        if (type instanceof DecimalType) {
            return ((BigDecimal) value).toPlainString();
        }
        return value.toString();
    }

    /** The Kernel literal for a value in string form. */
    public static Literal toLiteral(DataType type, String text) {
        if (text == null) {
            return Literal.ofNull(type);
        }
        if (type instanceof StringType) {
            return Literal.ofString(text);
        }
        if (type instanceof ByteType) {
            return Literal.ofByte(Byte.parseByte(text));
        }
        if (type instanceof ShortType) {
            return Literal.ofShort(Short.parseShort(text));
        }
        if (type instanceof IntegerType) {
            return Literal.ofInt(Integer.parseInt(text));
        }
        if (type instanceof LongType) {
            return Literal.ofLong(Long.parseLong(text));
        }
        if (type instanceof BooleanType) {
            return Literal.ofBoolean(Boolean.parseBoolean(text));
        }
        if (type instanceof DateType) {
            return Literal.ofDate((int) LocalDate.parse(text).toEpochDay());
        }
        if (type instanceof TimestampType) {
            Instant instant = Instant.parse(text);
            return Literal.ofTimestamp(
                    Math.addExact(
                            Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                            instant.getNano() / 1_000L));
        }
        if (type instanceof DecimalType) {
            DecimalType decimal = (DecimalType) type;
            return Literal.ofDecimal(
                    new BigDecimal(text), decimal.getPrecision(), decimal.getScale());
        }
        throw new IllegalArgumentException("Unsupported partition column type " + type);
    }

    /** Kernel literals for a staged file's partition values, typed by the table schema. */
    public static Map<String, Literal> toLiterals(
            StructType schema, List<String> partitionColumns, Map<String, String> values) {
        Map<String, Literal> literals = new HashMap<>();
        for (String column : partitionColumns) {
            if (!values.containsKey(column)) {
                throw new IllegalArgumentException(
                        "Staged file has no value for partition column '" + column + "': " + values);
            }
            literals.put(column, toLiteral(schema.get(column).getDataType(), values.get(column)));
        }
        return literals;
    }
}
