package io.exactlyonce.deploy.bench;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reads single columns of Parquet files written by either sink (Delta Kernel's writer or Flink's
 * Parquet writer), by column name with parquet-hadoop's reader: the row count from the footer,
 * {@code order_id} as strings for the exactness check, and {@code _kafka_timestamp} as epoch
 * milliseconds for the freshness figures (INT64 timestamps of any unit; INT96 is refused with the
 * reason, as neither sink here writes it).
 */
final class ParquetColumns {

    private static final Configuration HADOOP = new Configuration();

    private ParquetColumns() {}

    static long rowCount(Path file) throws IOException {
        try (ParquetFileReader reader = open(file)) {
            return reader.getRecordCount();
        }
    }

    static void strings(Path file, String column, Consumer<String> visitor) throws IOException {
        read(file, column, g -> visitor.accept(g.getBinary(0, 0).toStringUsingUTF8()));
    }

    static void timestampMillis(Path file, String column, LongConsumer visitor) throws IOException {
        long[] divisor = {0};
        read(file, column, g -> visitor.accept(Math.floorDiv(g.getLong(0, 0), divisor[0])), type -> {
            if (type.getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.INT64
                    || !(type.getLogicalTypeAnnotation()
                            instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts)) {
                throw new IllegalStateException(file + ": column " + column + " is " + type
                        + ", not an INT64 timestamp");
            }
            divisor[0] = switch (ts.getUnit()) {
                case MILLIS -> 1L;
                case MICROS -> 1_000L;
                case NANOS -> 1_000_000L;
            };
        });
    }

    private static void read(Path file, String column, Consumer<Group> visitor) throws IOException {
        read(file, column, visitor, type -> {});
    }

    private static void read(Path file, String column, Consumer<Group> visitor, Consumer<PrimitiveType> check)
            throws IOException {
        try (ParquetFileReader reader = open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            Type type = schema.getType(column);
            check.accept(type.asPrimitiveType());
            MessageType projection = Types.buildMessage().addField(type).named("projection");
            reader.setRequestedSchema(projection);
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(projection);
            for (PageReadStore rowGroup = reader.readNextRowGroup(); rowGroup != null; rowGroup = reader.readNextRowGroup()) {
                RecordReader<Group> records = io.getRecordReader(rowGroup, new GroupRecordConverter(projection));
                for (long i = 0; i < rowGroup.getRowCount(); i++) {
                    visitor.accept(records.read());
                }
            }
        }
    }

    private static ParquetFileReader open(Path file) throws IOException {
        return ParquetFileReader.open(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), HADOOP));
    }
}
