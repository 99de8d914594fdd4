package io.exactlyonce.delta.sink.core;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable {@link ColumnarBatch} over a fixed set of column vectors, with the column
 * add/remove operations Kernel uses when it turns logical rows into physical Parquet rows (for
 * example dropping partition columns, which live in directory names, not in the files).
 */
public final class BufferedColumnarBatch implements ColumnarBatch {

    private final StructType schema;
    private final ColumnVector[] columns;
    private final int size;

    public BufferedColumnarBatch(StructType schema, ColumnVector[] columns, int size) {
        if (schema.length() != columns.length) {
            throw new IllegalArgumentException(
                    "schema has " + schema.length() + " fields but " + columns.length + " columns");
        }
        this.schema = schema;
        this.columns = columns;
        this.size = size;
    }

    @Override
    public StructType getSchema() {
        return schema;
    }

    @Override
    public ColumnVector getColumnVector(int ordinal) {
        return columns[ordinal];
    }

    @Override
    public int getSize() {
        return size;
    }

    @Override
    public ColumnarBatch withDeletedColumnAt(int ordinal) {
        List<StructField> fields = new ArrayList<>(schema.fields());
        fields.remove(ordinal);
        ColumnVector[] remaining = new ColumnVector[columns.length - 1];
        for (int i = 0, j = 0; i < columns.length; i++) {
            if (i != ordinal) {
                remaining[j++] = columns[i];
            }
        }
        return new BufferedColumnarBatch(new StructType(fields), remaining, size);
    }

    @Override
    public ColumnarBatch withNewColumn(int ordinal, StructField field, ColumnVector vector) {
        List<StructField> fields = new ArrayList<>(schema.fields());
        fields.add(ordinal, field);
        ColumnVector[] extended = new ColumnVector[columns.length + 1];
        for (int i = 0, j = 0; i < extended.length; i++) {
            extended[i] = i == ordinal ? vector : columns[j++];
        }
        return new BufferedColumnarBatch(new StructType(fields), extended, size);
    }

    @Override
    public ColumnarBatch withNewSchema(StructType newSchema) {
        return new BufferedColumnarBatch(newSchema, columns, size);
    }
}
