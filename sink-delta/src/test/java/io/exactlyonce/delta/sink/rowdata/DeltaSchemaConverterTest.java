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

import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.CharType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link DeltaSchemaConverter}: every supported Flink type maps to its Delta Kernel type
 * and back, names and nullability survive the round trip, and unsupported types are refused with a
 * message naming the column.
 */
class DeltaSchemaConverterTest {

    /** Flink type, expected Kernel type, and the Flink type the Kernel type converts back to. */
    static Stream<Arguments> supportedTypes() {
        return Stream.of(
                Arguments.of(
                        new org.apache.flink.table.types.logical.BooleanType(),
                        BooleanType.BOOLEAN,
                        new org.apache.flink.table.types.logical.BooleanType()),
                Arguments.of(new TinyIntType(), ByteType.BYTE, new TinyIntType()),
                Arguments.of(new SmallIntType(), ShortType.SHORT, new SmallIntType()),
                Arguments.of(new IntType(), IntegerType.INTEGER, new IntType()),
                Arguments.of(new BigIntType(), LongType.LONG, new BigIntType()),
                Arguments.of(
                        new org.apache.flink.table.types.logical.FloatType(),
                        FloatType.FLOAT,
                        new org.apache.flink.table.types.logical.FloatType()),
                Arguments.of(
                        new org.apache.flink.table.types.logical.DoubleType(),
                        DoubleType.DOUBLE,
                        new org.apache.flink.table.types.logical.DoubleType()),
                Arguments.of(
                        new VarCharType(VarCharType.MAX_LENGTH),
                        StringType.STRING,
                        new VarCharType(VarCharType.MAX_LENGTH)),
                Arguments.of(new VarCharType(10), StringType.STRING, new VarCharType(VarCharType.MAX_LENGTH)),
                Arguments.of(new CharType(3), StringType.STRING, new VarCharType(VarCharType.MAX_LENGTH)),
                Arguments.of(
                        new VarBinaryType(VarBinaryType.MAX_LENGTH),
                        BinaryType.BINARY,
                        new VarBinaryType(VarBinaryType.MAX_LENGTH)),
                Arguments.of(
                        new org.apache.flink.table.types.logical.BinaryType(16),
                        BinaryType.BINARY,
                        new VarBinaryType(VarBinaryType.MAX_LENGTH)),
                Arguments.of(
                        new org.apache.flink.table.types.logical.DecimalType(18, 2),
                        new DecimalType(18, 2),
                        new org.apache.flink.table.types.logical.DecimalType(18, 2)),
                Arguments.of(
                        new org.apache.flink.table.types.logical.DecimalType(38, 10),
                        new DecimalType(38, 10),
                        new org.apache.flink.table.types.logical.DecimalType(38, 10)),
                Arguments.of(
                        new org.apache.flink.table.types.logical.DateType(),
                        DateType.DATE,
                        new org.apache.flink.table.types.logical.DateType()),
                Arguments.of(
                        new LocalZonedTimestampType(6),
                        TimestampType.TIMESTAMP,
                        new LocalZonedTimestampType(6)),
                // Delta timestamps are microseconds: any precision comes back as TIMESTAMP_LTZ(6)
                Arguments.of(
                        new LocalZonedTimestampType(3),
                        TimestampType.TIMESTAMP,
                        new LocalZonedTimestampType(6)));
    }

    @ParameterizedTest(name = "{0} -> {1} -> {2}")
    @MethodSource("supportedTypes")
    void supportedTypeMapsToKernelTypeAndBack(
            LogicalType flinkType, DataType kernelType, LogicalType backType) {
        for (boolean nullable : new boolean[] {true, false}) {
            RowType rowType =
                    new RowType(
                            List.of(
                                    new RowType.RowField("key", new BigIntType(false)),
                                    new RowType.RowField("the_column", flinkType.copy(nullable))));

            StructType schema = DeltaSchemaConverter.toDeltaSchema(rowType);

            assertThat(schema.fieldNames()).containsExactly("key", "the_column");
            StructField field = schema.get("the_column");
            assertThat(field.getDataType()).isEqualTo(kernelType);
            assertThat(field.isNullable()).isEqualTo(nullable);
            assertThat(schema.get("key").isNullable()).isFalse();

            RowType back = DeltaSchemaConverter.toRowType(schema);

            assertThat(back.getFieldNames()).containsExactly("key", "the_column");
            assertThat(back.getTypeAt(0)).isEqualTo(new BigIntType(false));
            assertThat(back.getTypeAt(1)).isEqualTo(backType.copy(nullable));
            assertThat(back.getTypeAt(1).isNullable()).isEqualTo(nullable);
            // and a second trip is stable
            assertThat(DeltaSchemaConverter.toDeltaSchema(back)).isEqualTo(schema);
        }
    }

    @Test
    void wholeRowKeepsColumnOrderNamesAndNullability() {
        RowType rowType =
                RowType.of(
                        new LogicalType[] {
                            new BigIntType(false),
                            new VarCharType(true, 20),
                            new org.apache.flink.table.types.logical.DecimalType(false, 10, 3),
                            new org.apache.flink.table.types.logical.DateType(true),
                            new LocalZonedTimestampType(false, 6),
                            new org.apache.flink.table.types.logical.BooleanType(true)
                        },
                        new String[] {"id", "Name With Space", "amount", "d", "ts", "flag"});

        StructType schema = DeltaSchemaConverter.toDeltaSchema(rowType);

        assertThat(schema)
                .isEqualTo(
                        new StructType()
                                .add("id", LongType.LONG, false)
                                .add("Name With Space", StringType.STRING, true)
                                .add("amount", new DecimalType(10, 3), false)
                                .add("d", DateType.DATE, true)
                                .add("ts", TimestampType.TIMESTAMP, false)
                                .add("flag", BooleanType.BOOLEAN, true));

        RowType back = DeltaSchemaConverter.toRowType(schema);

        assertThat(back.getFieldNames()).isEqualTo(rowType.getFieldNames());
        assertThat(back.getTypeAt(1)).isEqualTo(new VarCharType(true, VarCharType.MAX_LENGTH));
        for (int i = 0; i < rowType.getFieldCount(); i++) {
            assertThat(back.getTypeAt(i).isNullable())
                    .as("nullability of %s", rowType.getFieldNames().get(i))
                    .isEqualTo(rowType.getTypeAt(i).isNullable());
        }
        assertThat(back.getTypeAt(0)).isEqualTo(rowType.getTypeAt(0));
        assertThat(back.getTypeAt(2)).isEqualTo(rowType.getTypeAt(2));
        assertThat(back.getTypeAt(3)).isEqualTo(rowType.getTypeAt(3));
        assertThat(back.getTypeAt(4)).isEqualTo(rowType.getTypeAt(4));
        assertThat(back.getTypeAt(5)).isEqualTo(rowType.getTypeAt(5));
    }

    @Test
    void timestampWithoutTimeZoneIsRefusedNamingColumnAndTheFix() {
        RowType rowType =
                RowType.of(
                        new LogicalType[] {
                            new BigIntType(false), new org.apache.flink.table.types.logical.TimestampType(6)
                        },
                        new String[] {"id", "created_at"});

        assertThatThrownBy(() -> DeltaSchemaConverter.toDeltaSchema(rowType))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'created_at'")
                .hasMessageContaining("TIMESTAMP_LTZ")
                .hasMessageContaining("timestamp_ntz");
    }

    @Test
    void arrayColumnIsRefusedNamingTheColumn() {
        RowType rowType =
                RowType.of(
                        new LogicalType[] {new BigIntType(false), new ArrayType(new IntType())},
                        new String[] {"id", "tags"});

        assertThatThrownBy(() -> DeltaSchemaConverter.toDeltaSchema(rowType))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tags'")
                .hasMessageContaining("ARRAY");
    }

    @Test
    void mapAndNestedRowColumnsAreRefusedNamingTheColumn() {
        RowType withMap =
                RowType.of(
                        new LogicalType[] {new MapType(new VarCharType(), new IntType())},
                        new String[] {"attrs"});
        RowType withRow =
                RowType.of(
                        new LogicalType[] {RowType.of(new IntType())},
                        new String[] {"nested"});

        assertThatThrownBy(() -> DeltaSchemaConverter.toDeltaSchema(withMap))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'attrs'");
        assertThatThrownBy(() -> DeltaSchemaConverter.toDeltaSchema(withRow))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nested'");
    }

    @Test
    void unsupportedKernelTypeIsRefusedNamingTheColumn() {
        StructType schema =
                new StructType()
                        .add("id", LongType.LONG, false)
                        .add(
                                "list",
                                new io.delta.kernel.types.ArrayType(IntegerType.INTEGER, true),
                                true);

        assertThatThrownBy(() -> DeltaSchemaConverter.toRowType(schema))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'list'");
    }
}
