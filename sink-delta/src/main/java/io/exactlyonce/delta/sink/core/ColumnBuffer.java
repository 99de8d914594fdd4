package io.exactlyonce.delta.sink.core;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.DataType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * An append-only, fixed-capacity column of one batch, exposed to Kernel's Parquet writer as a
 * {@link ColumnVector}.
 *
 * <p>Writers fill a set of buffers row by row with primitive appends (no boxing), hand the full
 * batch to Kernel and start new buffers; a handed-over buffer is never written again, so the
 * Parquet thread can read it without locking. Appending past capacity throws.
 */
public abstract class ColumnBuffer implements ColumnVector {

    private final DataType type;
    protected final int capacity;
    protected int size;
    private boolean[] nulls;

    protected ColumnBuffer(DataType type, int capacity) {
        this.type = type;
        this.capacity = capacity;
    }

    @Override
    public DataType getDataType() {
        return type;
    }

    @Override
    public int getSize() {
        return size;
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int rowId) {
        return nulls != null && nulls[rowId];
    }

    public void appendNull() {
        if (nulls == null) {
            nulls = new boolean[capacity];
        }
        nulls[size] = true;
        size++;
    }

    /** A column of booleans. */
    public static final class Booleans extends ColumnBuffer {
        private final boolean[] values;

        public Booleans(DataType type, int capacity) {
            super(type, capacity);
            values = new boolean[capacity];
        }

        public void append(boolean v) {
            values[size++] = v;
        }

        @Override
        public boolean getBoolean(int rowId) {
            return values[rowId];
        }
    }

    /** A column of bytes. */
    public static final class Bytes extends ColumnBuffer {
        private final byte[] values;

        public Bytes(DataType type, int capacity) {
            super(type, capacity);
            values = new byte[capacity];
        }

        public void append(byte v) {
            values[size++] = v;
        }

        @Override
        public byte getByte(int rowId) {
            return values[rowId];
        }
    }

    /** A column of shorts. */
    public static final class Shorts extends ColumnBuffer {
        private final short[] values;

        public Shorts(DataType type, int capacity) {
            super(type, capacity);
            values = new short[capacity];
        }

        public void append(short v) {
            values[size++] = v;
        }

        @Override
        public short getShort(int rowId) {
            return values[rowId];
        }
    }

    /** A column of ints; also dates as days since epoch. */
    public static final class Ints extends ColumnBuffer {
        private final int[] values;

        public Ints(DataType type, int capacity) {
            super(type, capacity);
            values = new int[capacity];
        }

        public void append(int v) {
            values[size++] = v;
        }

        @Override
        public int getInt(int rowId) {
            return values[rowId];
        }
    }

    /** A column of longs; also timestamps as microseconds since epoch. */
    public static final class Longs extends ColumnBuffer {
        private final long[] values;

        public Longs(DataType type, int capacity) {
            super(type, capacity);
            values = new long[capacity];
        }

        public void append(long v) {
            values[size++] = v;
        }

        @Override
        public long getLong(int rowId) {
            return values[rowId];
        }
    }

    /** A column of floats. */
    public static final class Floats extends ColumnBuffer {
        private final float[] values;

        public Floats(DataType type, int capacity) {
            super(type, capacity);
            values = new float[capacity];
        }

        public void append(float v) {
            values[size++] = v;
        }

        @Override
        public float getFloat(int rowId) {
            return values[rowId];
        }
    }

    /** A column of doubles. */
    public static final class Doubles extends ColumnBuffer {
        private final double[] values;

        public Doubles(DataType type, int capacity) {
            super(type, capacity);
            values = new double[capacity];
        }

        public void append(double v) {
            values[size++] = v;
        }

        @Override
        public double getDouble(int rowId) {
            return values[rowId];
        }
    }

    /** A column of strings. */
    public static final class Strings extends ColumnBuffer {
        private final byte[][] utf8;

        public Strings(DataType type, int capacity) {
            super(type, capacity);
            utf8 = new byte[capacity][];
        }

        /**
         * Appends a string given as its UTF-8 bytes (not copied: the caller hands them over). The
         * text is decoded only when Kernel's Parquet writer reads it, on the writer's own thread.
         */
        public void append(byte[] utf8Bytes) {
            utf8[size++] = utf8Bytes;
        }

        @Override
        public String getString(int rowId) {
            return new String(utf8[rowId], StandardCharsets.UTF_8);
        }
    }

    /** A column of byte arrays. */
    public static final class Binaries extends ColumnBuffer {
        private final byte[][] values;

        public Binaries(DataType type, int capacity) {
            super(type, capacity);
            values = new byte[capacity][];
        }

        public void append(byte[] v) {
            values[size++] = v;
        }

        @Override
        public byte[] getBinary(int rowId) {
            return values[rowId];
        }
    }

    /** A column of decimals. */
    public static final class Decimals extends ColumnBuffer {
        private final BigDecimal[] values;

        public Decimals(DataType type, int capacity) {
            super(type, capacity);
            values = new BigDecimal[capacity];
        }

        public void append(BigDecimal v) {
            values[size++] = v;
        }

        @Override
        public BigDecimal getDecimal(int rowId) {
            return values[rowId];
        }
    }
}
