package io.exactlyonce.bench;

import io.exactlyonce.delta.sink.core.CommitResult;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.rowdata.RowDataDeltaWriter;

import org.apache.flink.table.data.GenericRowData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One Delta commit of K staged files ({@link DeltaCommitter#commit}, K = 1, 10, 100) on an orders
 * table with {@value CommitHistory#COMMITS} earlier commits ({@link CommitHistory}), as the sink's
 * committer makes it when a checkpoint completes: snapshot load, the idempotence check of the app
 * id's txn version, the source progress read and written as domain metadata, the {@code add}
 * actions with statistics, the log write and Kernel's post-commit hooks (a checksum per version and
 * a log checkpoint every ten versions, so the average includes a tenth of a checkpoint write).
 *
 * <p>Every iteration starts from a fresh copy of the table, so each one measures commits 1,001 and
 * up (an iteration adds a few dozen). The staged files are hard links of one real Parquet file with
 * its statistics, made before each commit outside the measured time. The score is milliseconds per
 * commit call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.HEAP, BenchmarkJvm.G1, BenchmarkJvm.OPEN_LANG, BenchmarkJvm.OPEN_UTIL})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class DeltaCommitBenchmark {

    /** Files staged by the measured checkpoint (K). */
    @Param({"1", "10", "100"})
    public int files;

    private Path root;
    private StagedFile sample;
    private Path history;
    private int iteration;
    private Path table;
    private DeltaCommitter committer;
    private long checkpointId;
    private DeltaTransaction next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        root = Files.createTempDirectory("jmh-commit");
        // one real Parquet file with its statistics, as a writer stages it
        OrdersTable scratch = new OrdersTable(root.resolve("sample"));
        try (RowDataDeltaWriter writer = scratch.writer()) {
            for (GenericRowData row : OrdersTable.parsedOrders(2000, 11)) {
                writer.write(row);
            }
            sample = writer.flush().get(0);
        }
        history = CommitHistory.table(sample);
    }

    /** A fresh copy of the table with its earlier commits. */
    @Setup(Level.Iteration)
    public void copyTable() throws IOException {
        table = root.resolve("table-" + iteration++);
        CommitHistory.copy(history, table);
        committer = new OrdersTable(table).committer();
        checkpointId = CommitHistory.COMMITS;
    }

    /** The next checkpoint's staged files. */
    @Setup(Level.Invocation)
    public void stageFiles() throws IOException {
        next = CommitHistory.transaction(sample, table, ++checkpointId, files);
    }

    @Benchmark
    public CommitResult commit() {
        return CommitHistory.commit(committer, next);
    }

    @TearDown(Level.Iteration)
    public void deleteTable() {
        OrdersTable.delete(table);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        OrdersTable.delete(root);
    }
}
