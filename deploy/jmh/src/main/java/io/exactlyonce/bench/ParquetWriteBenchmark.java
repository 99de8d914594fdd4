package io.exactlyonce.bench;

import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;

import org.apache.flink.table.data.GenericRowData;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sink's Parquet write path as a writer subtask runs it between two checkpoints: {@link
 * RowDataDeltaWriter#write} of {@value #ROWS} distinct parsed orders (UUID ids: the unique strings
 * the dictionary encoder struggles with), then {@link RowDataDeltaWriter#flush} (the barrier: the
 * files are closed and their statistics collected). Rows go through the column buffers to Kernel's
 * Parquet writer on the writer's background threads, one per {@code event_date} partition (two
 * here), into a real table directory; the files are deleted after each iteration.
 *
 * <p>The primary score is rows/s ({@code ns/row} = 10⁹ / score); the secondary score {@code bytes}
 * is the Parquet bytes written per second (MB/s = score / 10⁶).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.HEAP, BenchmarkJvm.G1, BenchmarkJvm.OPEN_LANG, BenchmarkJvm.OPEN_UTIL})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ParquetWriteBenchmark {

    static final int ROWS = 100_000;

    /** Parquet bytes written, reported per second next to the rows/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Written {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    private Path dir;
    private OrdersTable table;
    private RowDataDeltaWriter writer;
    private GenericRowData[] rows;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("jmh-parquet");
        table = new OrdersTable(dir.resolve("orders"));
        writer = table.writer();
        rows = OrdersTable.parsedOrders(ROWS, 7);
    }

    /** Writes the rows of one checkpoint interval and closes the files. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public List<StagedFile> writeAndFlush(Written written) throws Exception {
        for (GenericRowData row : rows) {
            writer.write(row);
        }
        List<StagedFile> files = writer.flush();
        for (StagedFile file : files) {
            written.bytes += file.sizeBytes();
        }
        return files;
    }

    /** Removes the iteration's Parquet files (the partition directories), keeping the Delta log. */
    @TearDown(Level.Iteration)
    public void deleteFiles() throws IOException {
        try (DirectoryStream<Path> partitions = Files.newDirectoryStream(table.dir, "event_date=*")) {
            partitions.forEach(OrdersTable::delete);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        writer.close();
        OrdersTable.delete(dir);
    }
}
