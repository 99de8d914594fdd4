package io.exactlyonce.tools.table;

import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.delta.sink.core.TableProgress;
import io.exactlyonce.tools.JobUids;
import io.exactlyonce.tools.TableOptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code table-status <path>}: a Delta table as the job's operator needs to see it, through Delta
 * Kernel's public API: its version, live data files, their bytes, the rows their statistics count
 * (and how many files have no row count), the partition columns, and the source positions the job's
 * sinks recorded with their last commit (per sink of {@code --uid-prefix}), the protocol, and the
 * last commits with the transaction ids (appId, checkpoint id) they set. Reads only; a path that is
 * not a Delta table exits 2.
 */
@Command(name = "table-status", mixinStandardHelpOptions = true,
        description = "Version, files, bytes, rows and the recorded source positions of a Delta table.")
public final class TableStatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<table>", description = "the Delta table's path")
    String table;

    @Option(names = "--uid-prefix", defaultValue = "orders", description = "the job's --uid-prefix, whose sinks' positions to show (default: ${DEFAULT-VALUE})")
    String uidPrefix;

    @Option(names = "--commits", defaultValue = "10", description = "how many of the last commits to show (default: ${DEFAULT-VALUE})")
    int commits;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    /** What {@code table-status} prints. */
    public record Status(String table, long version, List<String> partitionColumns, long files, long bytes,
            long rows, long filesWithoutRowCount, Map<String, Map<String, Long>> recordedPositions,
            CommitHistory.Protocol protocol, List<CommitHistory.Commit> lastCommits) {}

    @Override
    public Integer call() throws Exception {
        Status status = status();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
            return 0;
        }
        out.printf("Table %s: version %d, partitioned by %s%n", status.table(), status.version(), status.partitionColumns());
        out.printf("  %d live files, %d bytes, %d rows%s%n", status.files(), status.bytes(), status.rows(),
                status.filesWithoutRowCount() == 0 ? "" : " (+ " + status.filesWithoutRowCount() + " files without a row count)");
        CommitHistory.Protocol protocol = status.protocol();
        if (protocol != null) {
            out.printf("  protocol: reader %d, writer %d%s%s%n", protocol.minReaderVersion(), protocol.minWriterVersion(),
                    protocol.readerFeatures().isEmpty() ? "" : ", reader features " + protocol.readerFeatures(),
                    protocol.writerFeatures().isEmpty() ? "" : ", writer features " + protocol.writerFeatures());
        }
        status.recordedPositions().forEach((sink, positions) ->
                out.printf("  positions recorded by %s: %s%n", sink, positions));
        out.printf("  last %d commits (a sink's transaction id is its appId and the Flink checkpoint id):%n",
                status.lastCommits().size());
        for (CommitHistory.Commit commit : status.lastCommits()) {
            out.printf("    v%d %s %s by %s: +%d files, +%d rows, -%d files%s%n", commit.version(),
                    commit.timestamp() < 0 ? "?" : Instant.ofEpochMilli(commit.timestamp()).toString(),
                    commit.operation(), commit.engineInfo(), commit.addedFiles(), commit.addedRows(), commit.removedFiles(),
                    commit.txns().isEmpty() ? "" : ", txn " + commit.txns().stream()
                            .map(t -> t.appId() + " @ checkpoint " + t.version()).collect(Collectors.joining(", ")));
        }
        return 0;
    }

    Status status() throws Exception {
        Engine engine = KernelEngines.create(Map.of());
        Snapshot snapshot = TableOptions.snapshot(engine, table, "<table>");
        LiveFileStats.Totals totals = LiveFileStats.totals(engine, snapshot);
        Map<String, Map<String, Long>> positions = new LinkedHashMap<>();
        for (String sink : JobUids.SINKS) {
            String progressId = uidPrefix + "-" + sink;
            TableProgress.read(snapshot, progressId)
                    .filter(p -> !p.isEmpty())
                    .map(SourceProgress::positions)
                    .ifPresent(p -> positions.put(progressId, p));
        }
        DeltaLogListing log = DeltaLogListing.of(engine, table);
        return new Status(table, snapshot.getVersion(), snapshot.getPartitionColumnNames(), totals.files(),
                totals.bytes(), totals.rows(), totals.filesWithoutRowCount(), positions, CommitHistory.protocol(engine, log),
                CommitHistory.lastCommits(engine, log, snapshot.getVersion(), commits));
    }
}
