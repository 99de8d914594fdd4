package io.exactlyonce.bench;

import io.exactlyonce.job.parse.OrderParser;

import org.apache.flink.table.data.GenericRowData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * JSON parse + validation of one Kafka record, as the parse operator does it: {@link
 * OrderParser#parse} over 64 Ki distinct records of {@link OrderRecords} (cycled, so the data is
 * not one hot record in the CPU cache), all valid or with 10 % malformed ones that take the
 * error path (message built, no row). One operation is one record: {@code recordsPerSecond} is
 * the throughput, {@code nanosPerRecord} the average time of the same work.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.HEAP, BenchmarkJvm.G1, BenchmarkJvm.OPEN_LANG, BenchmarkJvm.OPEN_UTIL})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class OrderParseBenchmark {

    private static final int RECORDS = 1 << 16;
    private static final long KAFKA_TIMESTAMP = OrderRecords.FIRST_EVENT.toEpochMilli();

    /** Share of malformed records in the input, in percent. */
    @Param({"0", "10"})
    public int malformedPercent;

    private byte[][] records;
    private OrderParser parser;
    private int next;

    @Setup
    public void setUp() {
        records = OrderRecords.generate(RECORDS, malformedPercent, 42);
        // the job's defaults: --max-record-bytes 1048576, --max-order-id-bytes 256
        parser = new OrderParser(1 << 20, 256);
    }

    /** Records parsed per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object recordsPerSecond() {
        return parseNext();
    }

    /** Nanoseconds per record parsed. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object nanosPerRecord() {
        return parseNext();
    }

    /** Parses the next record; returns the row or the error so that nothing is optimised away. */
    private Object parseNext() {
        int i = next;
        next = (i + 1) & (RECORDS - 1);
        GenericRowData row = parser.parse(records[i], "orders", i & 3, i, KAFKA_TIMESTAMP + i);
        return row != null ? row : parser.error();
    }
}
