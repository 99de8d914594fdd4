package io.exactlyonce.delta.sink.core;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
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
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Exact binary form of a data file's {@link DataFileStatistics}, part of {@link StagedFileCodec}
 * version 2.
 *
 * <p>Every min/max value keeps its Delta type: a decimal is written as precision, scale and the
 * unscaled two's-complement bytes, a float or double as its IEEE bits (so -0.0, NaN and the
 * infinities survive), a timestamp as its microseconds. Nothing passes through JSON or a double,
 * which is what made a {@code decimal(18,2)} maximum come back as {@code 1.0E16} and fail every
 * commit of its checkpoint.
 *
 * <p>Layout: {@code long numRecords, int n, (column, literal)* for min, the same for max, int n,
 * (column, bool present, [long])* for null counts, byte tightBounds (0 unknown, 1 false, 2 true)};
 * a column is {@code int depth, string*}; a literal is {@code byte typeTag, bool isNull, value}.
 * An unknown type tag is rejected as corrupt state.
 */
final class StatisticsCodec {

    private static final byte BOOLEAN = 1;
    private static final byte BYTE = 2;
    private static final byte SHORT = 3;
    private static final byte INT = 4;
    private static final byte LONG = 5;
    private static final byte FLOAT = 6;
    private static final byte DOUBLE = 7;
    private static final byte STRING = 8;
    private static final byte BINARY = 9;
    private static final byte DATE = 10;
    private static final byte TIMESTAMP = 11;
    private static final byte TIMESTAMP_NTZ = 12;
    private static final byte DECIMAL = 13;

    private StatisticsCodec() {}

    static void write(DataFileStatistics stats, DataOutput out) throws IOException {
        out.writeLong(stats.getNumRecords());
        writeLiterals(stats.getMinValues(), out);
        writeLiterals(stats.getMaxValues(), out);
        out.writeInt(stats.getNullCount().size());
        for (Map.Entry<Column, Long> e : stats.getNullCount().entrySet()) {
            writeColumn(e.getKey(), out);
            out.writeBoolean(e.getValue() != null);
            if (e.getValue() != null) {
                out.writeLong(e.getValue());
            }
        }
        Optional<Boolean> tight = stats.getTightBounds();
        out.writeByte(tight.isEmpty() ? 0 : tight.get() ? 2 : 1);
    }

    static DataFileStatistics read(DataInput in) throws IOException {
        long numRecords = in.readLong();
        Map<Column, Literal> min = readLiterals(in);
        Map<Column, Literal> max = readLiterals(in);
        int nullCounts = checkedCount(in.readInt(), "null count");
        Map<Column, Long> nullCount = new LinkedHashMap<>();
        for (int i = 0; i < nullCounts; i++) {
            Column column = readColumn(in);
            nullCount.put(column, in.readBoolean() ? in.readLong() : null);
        }
        byte tight = in.readByte();
        Optional<Boolean> tightBounds;
        switch (tight) {
            case 0:
                tightBounds = Optional.empty();
                break;
            case 1:
                tightBounds = Optional.of(false);
                break;
            case 2:
                tightBounds = Optional.of(true);
                break;
            default:
                throw new IOException("Corrupt state: tight-bounds flag " + tight);
        }
        return new DataFileStatistics(numRecords, min, max, nullCount, tightBounds);
    }

    private static void writeLiterals(Map<Column, Literal> values, DataOutput out)
            throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<Column, Literal> e : values.entrySet()) {
            writeColumn(e.getKey(), out);
            writeLiteral(e.getValue(), out);
        }
    }

    private static Map<Column, Literal> readLiterals(DataInput in) throws IOException {
        int n = checkedCount(in.readInt(), "min/max");
        Map<Column, Literal> values = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            values.put(readColumn(in), readLiteral(in));
        }
        return values;
    }

    private static void writeColumn(Column column, DataOutput out) throws IOException {
        String[] names = column.getNames();
        out.writeInt(names.length);
        for (String name : names) {
            BinaryFormat.writeString(out, name);
        }
    }

    private static Column readColumn(DataInput in) throws IOException {
        int depth = checkedCount(in.readInt(), "column path");
        String[] names = new String[depth];
        for (int i = 0; i < depth; i++) {
            names[i] = BinaryFormat.readString(in);
        }
        return new Column(names);
    }

    static void writeLiteral(Literal literal, DataOutput out) throws IOException {
        DataType type = literal.getDataType();
        Object value = literal.getValue();
        out.writeByte(tagOf(type));
        if (type instanceof DecimalType) {
            out.writeInt(((DecimalType) type).getPrecision());
            out.writeInt(((DecimalType) type).getScale());
        }
        out.writeBoolean(value == null);
        if (value == null) {
            return;
        }
        if (type instanceof BooleanType) {
            out.writeBoolean((Boolean) value);
        } else if (type instanceof ByteType) {
            out.writeByte((Byte) value);
        } else if (type instanceof ShortType) {
            out.writeShort((Short) value);
        } else if (type instanceof IntegerType || type instanceof DateType) {
            out.writeInt((Integer) value);
        } else if (type instanceof LongType
                || type instanceof TimestampType
                || type instanceof TimestampNTZType) {
            out.writeLong((Long) value);
        } else if (type instanceof FloatType) {
            out.writeInt(Float.floatToRawIntBits((Float) value));
        } else if (type instanceof DoubleType) {
            out.writeLong(Double.doubleToRawLongBits((Double) value));
        } else if (type instanceof StringType) {
            BinaryFormat.writeString(out, (String) value);
        } else if (type instanceof BinaryType) {
            BinaryFormat.writeBytes(out, (byte[]) value);
        } else {
            BigDecimal decimal = (BigDecimal) value;
            BinaryFormat.writeBytes(out, decimal.unscaledValue().toByteArray());
            out.writeInt(decimal.scale());
        }
    }

    static Literal readLiteral(DataInput in) throws IOException {
        byte tag = in.readByte();
        int precision = 0;
        int scale = 0;
        if (tag == DECIMAL) {
            precision = in.readInt();
            scale = in.readInt();
        }
        DataType type = typeOf(tag, precision, scale);
        if (in.readBoolean()) {
            return Literal.ofNull(type);
        }
        switch (tag) {
            case BOOLEAN:
                return Literal.ofBoolean(in.readBoolean());
            case BYTE:
                return Literal.ofByte(in.readByte());
            case SHORT:
                return Literal.ofShort(in.readShort());
            case INT:
                return Literal.ofInt(in.readInt());
            case DATE:
                return Literal.ofDate(in.readInt());
            case LONG:
                return Literal.ofLong(in.readLong());
            case TIMESTAMP:
                return Literal.ofTimestamp(in.readLong());
            case TIMESTAMP_NTZ:
                return Literal.ofTimestampNtz(in.readLong());
            case FLOAT:
                return Literal.ofFloat(Float.intBitsToFloat(in.readInt()));
            case DOUBLE:
                return Literal.ofDouble(Double.longBitsToDouble(in.readLong()));
            case STRING:
                return Literal.ofString(BinaryFormat.readString(in));
            case BINARY:
                return Literal.ofBinary(BinaryFormat.readBytes(in));
            default:
                BigInteger unscaled = new BigInteger(BinaryFormat.readBytes(in));
                int valueScale = in.readInt();
                return Literal.ofDecimal(new BigDecimal(unscaled, valueScale), precision, scale);
        }
    }

    private static byte tagOf(DataType type) throws IOException {
        if (type instanceof BooleanType) {
            return BOOLEAN;
        } else if (type instanceof ByteType) {
            return BYTE;
        } else if (type instanceof ShortType) {
            return SHORT;
        } else if (type instanceof IntegerType) {
            return INT;
        } else if (type instanceof LongType) {
            return LONG;
        } else if (type instanceof FloatType) {
            return FLOAT;
        } else if (type instanceof DoubleType) {
            return DOUBLE;
        } else if (type instanceof StringType) {
            return STRING;
        } else if (type instanceof BinaryType) {
            return BINARY;
        } else if (type instanceof DateType) {
            return DATE;
        } else if (type instanceof TimestampType) {
            return TIMESTAMP;
        } else if (type instanceof TimestampNTZType) {
            return TIMESTAMP_NTZ;
        } else if (type instanceof DecimalType) {
            return DECIMAL;
        }
        throw new IOException("No state encoding for a statistic of type " + type);
    }

    private static DataType typeOf(byte tag, int precision, int scale) throws IOException {
        switch (tag) {
            case BOOLEAN:
                return BooleanType.BOOLEAN;
            case BYTE:
                return ByteType.BYTE;
            case SHORT:
                return ShortType.SHORT;
            case INT:
                return IntegerType.INTEGER;
            case LONG:
                return LongType.LONG;
            case FLOAT:
                return FloatType.FLOAT;
            case DOUBLE:
                return DoubleType.DOUBLE;
            case STRING:
                return StringType.STRING;
            case BINARY:
                return BinaryType.BINARY;
            case DATE:
                return DateType.DATE;
            case TIMESTAMP:
                return TimestampType.TIMESTAMP;
            case TIMESTAMP_NTZ:
                return TimestampNTZType.TIMESTAMP_NTZ;
            case DECIMAL:
                if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                    throw new IOException(
                            "Corrupt state: decimal(" + precision + "," + scale + ") statistic");
                }
                return new DecimalType(precision, scale);
            default:
                throw new IOException("Corrupt state: unknown statistic type tag " + tag);
        }
    }

    private static int checkedCount(int n, String what) throws IOException {
        if (n < 0) {
            throw new IOException("Corrupt state: negative " + what + " count " + n);
        }
        return n;
    }
}
