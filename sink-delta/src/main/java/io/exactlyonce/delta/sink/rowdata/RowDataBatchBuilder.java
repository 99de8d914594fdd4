package io.exactlyonce.delta.sink.rowdata;

import io.exactlyonce.delta.sink.core.BufferedColumnarBatch;
import io.exactlyonce.delta.sink.core.ColumnBuffer;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.StructType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Copies Flink {@link RowData} rows into columnar batches of a fixed row count for Kernel's Parquet
 * writer.
 *
 * <p>Per column, a type-specific appender is chosen once at construction, so the per-row path is a
 * null check and a primitive array store, with no reflection and no boxing (strings, decimals and
 * binaries are converted to the Java objects Kernel's writer reads). Values are copied, so
 * upstream operators may reuse their {@code RowData} objects.
 */
@Internal
public final class RowDataBatchBuilder {

    private final StructType schema;
    private final RowType rowType;
    private final int capacity;
    private final long maxBytes;
    private ColumnBuffer[] columns;
    private Appender[] appenders;
    private int size;
    private long bytes;

    /**
     * A builder whose batches end at {@code capacity} rows or at about {@code maxBytes} bytes of
     * values, whichever comes first, so that large values cannot pile up a batch of many MiB.
     */
    public RowDataBatchBuilder(RowType rowType, StructType schema, int capacity, long maxBytes) {
        this.rowType = rowType;
        this.schema = schema;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        reset();
    }

    public void add(RowData row) {
        Appender[] a = appenders;
        long rowBytes = 0;
        for (int i = 0; i < a.length; i++) {
            rowBytes += a[i].append(row, i);
        }
        bytes += rowBytes;
        size++;
    }

    /** Approximate bytes of the values added to the current batch. */
    public long bytes() {
        return bytes;
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == capacity || bytes >= maxBytes;
    }

    /** Hands out the rows added so far as a batch and starts a new, empty one. */
    public ColumnarBatch build() {
        ColumnarBatch batch = new BufferedColumnarBatch(schema, (ColumnVector[]) columns, size);
        reset();
        return batch;
    }

    private void reset() {
        int n = schema.length();
        columns = new ColumnBuffer[n];
        appenders = new Appender[n];
        for (int i = 0; i < n; i++) {
            LogicalType logical = rowType.getTypeAt(i);
            DataType type = schema.at(i).getDataType();
            Appender appender = appenderFor(logical, type, capacity);
            appenders[i] = appender;
            columns[i] = appender.column();
        }
        size = 0;
        bytes = 0;
    }

    /** Appends one field of a row to its column. */
    private abstract static class Appender {
        abstract ColumnBuffer column();

        /** Appends a non-null value; returns its approximate size in bytes. */
        abstract int appendValue(RowData row, int pos);

        final int append(RowData row, int pos) {
            if (row.isNullAt(pos)) {
                column().appendNull();
                return 1;
            }
            return appendValue(row, pos);
        }
    }

    private static Appender appenderFor(LogicalType logical, DataType type, int capacity) {
        switch (logical.getTypeRoot()) {
            case BOOLEAN: {
                ColumnBuffer.Booleans c = new ColumnBuffer.Booleans(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        c.append(row.getBoolean(pos));
                        return 8;
                    }
                };
            }
            case TINYINT: {
                ColumnBuffer.Bytes c = new ColumnBuffer.Bytes(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        c.append(row.getByte(pos));
                        return 8;
                    }
                };
            }
            case SMALLINT: {
                ColumnBuffer.Shorts c = new ColumnBuffer.Shorts(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        c.append(row.getShort(pos));
                        return 8;
                    }
                };
            }
            case INTEGER:
            case DATE: {
                ColumnBuffer.Ints c = new ColumnBuffer.Ints(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        c.append(row.getInt(pos));
                        return 8;
                    }
                };
            }
            case BIGINT: {
                ColumnBuffer.Longs c = new ColumnBuffer.Longs(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        c.append(row.getLong(pos));
                        return 8;
                    }
                };
            }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                int precision = ((LocalZonedTimestampType) logical).getPrecision();
                ColumnBuffer.Longs c = new ColumnBuffer.Longs(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        TimestampData ts = row.getTimestamp(pos, precision);
                        c.append(
                                Math.multiplyExact(ts.getMillisecond(), 1000L)
                                        + ts.getNanoOfMillisecond() / 1000);
                        return 8;
                    }
                };
            }
            case FLOAT: {
                ColumnBuffer.Floats c = new ColumnBuffer.Floats(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        c.append(row.getFloat(pos));
                        return 8;
                    }
                };
            }
            case DOUBLE: {
                ColumnBuffer.Doubles c = new ColumnBuffer.Doubles(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        c.append(row.getDouble(pos));
                        return 8;
                    }
                };
            }
            case CHAR:
            case VARCHAR: {
                ColumnBuffer.Strings c = new ColumnBuffer.Strings(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        // the UTF-8 bytes, copied out of a reused row; decoded on the Parquet thread
                        byte[] utf8 = row.getString(pos).toBytes();
                        c.append(utf8);
                        return 16 + utf8.length;
                    }
                };
            }
            case BINARY:
            case VARBINARY: {
                ColumnBuffer.Binaries c = new ColumnBuffer.Binaries(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        byte[] value = row.getBinary(pos).clone();
                        c.append(value);
                        return 16 + value.length;
                    }
                };
            }
            case DECIMAL: {
                DecimalType decimal = (DecimalType) logical;
                int precision = decimal.getPrecision();
                int scale = decimal.getScale();
                ColumnBuffer.Decimals c = new ColumnBuffer.Decimals(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    int appendValue(RowData row, int pos) {
                        DecimalData d = row.getDecimal(pos, precision, scale);
                        c.append(d.toBigDecimal());
                        return 32;
                    }
                };
            }
            default:
                throw new IllegalArgumentException("Unsupported column type " + logical);
        }
    }
}
