package io.exactlyonce.delta.sink.rowdata;

import io.exactlyonce.delta.sink.core.BufferedColumnarBatch;
import io.exactlyonce.delta.sink.core.ColumnBuffer;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.StructType;

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
public final class RowDataBatchBuilder {

    private final StructType schema;
    private final RowType rowType;
    private final int capacity;
    private ColumnBuffer[] columns;
    private Appender[] appenders;
    private int size;

    public RowDataBatchBuilder(RowType rowType, StructType schema, int capacity) {
        this.rowType = rowType;
        this.schema = schema;
        this.capacity = capacity;
        reset();
    }

    public void add(RowData row) {
        Appender[] a = appenders;
        for (int i = 0; i < a.length; i++) {
            a[i].append(row, i);
        }
        size++;
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == capacity;
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
    }

    /** Appends one field of a row to its column. */
    private abstract static class Appender {
        abstract ColumnBuffer column();

        abstract void appendValue(RowData row, int pos);

        final void append(RowData row, int pos) {
            if (row.isNullAt(pos)) {
                column().appendNull();
            } else {
                appendValue(row, pos);
            }
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

                    void appendValue(RowData row, int pos) {
                        c.append(row.getBoolean(pos));
                    }
                };
            }
            case TINYINT: {
                ColumnBuffer.Bytes c = new ColumnBuffer.Bytes(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    void appendValue(RowData row, int pos) {
                        c.append(row.getByte(pos));
                    }
                };
            }
            case SMALLINT: {
                ColumnBuffer.Shorts c = new ColumnBuffer.Shorts(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    void appendValue(RowData row, int pos) {
                        c.append(row.getShort(pos));
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

                    void appendValue(RowData row, int pos) {
                        c.append(row.getInt(pos));
                    }
                };
            }
            case BIGINT: {
                ColumnBuffer.Longs c = new ColumnBuffer.Longs(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    void appendValue(RowData row, int pos) {
                        c.append(row.getLong(pos));
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

                    void appendValue(RowData row, int pos) {
                        TimestampData ts = row.getTimestamp(pos, precision);
                        c.append(
                                Math.multiplyExact(ts.getMillisecond(), 1000L)
                                        + ts.getNanoOfMillisecond() / 1000);
                    }
                };
            }
            case FLOAT: {
                ColumnBuffer.Floats c = new ColumnBuffer.Floats(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    void appendValue(RowData row, int pos) {
                        c.append(row.getFloat(pos));
                    }
                };
            }
            case DOUBLE: {
                ColumnBuffer.Doubles c = new ColumnBuffer.Doubles(type, capacity);
                return new Appender() {
                    ColumnBuffer column() {
                        return c;
                    }

                    void appendValue(RowData row, int pos) {
                        c.append(row.getDouble(pos));
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

                    void appendValue(RowData row, int pos) {
                        c.append(row.getString(pos).toString());
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

                    void appendValue(RowData row, int pos) {
                        c.append(row.getBinary(pos).clone());
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

                    void appendValue(RowData row, int pos) {
                        DecimalData d = row.getDecimal(pos, precision, scale);
                        c.append(d.toBigDecimal());
                    }
                };
            }
            default:
                throw new IllegalArgumentException("Unsupported column type " + logical);
        }
    }
}
