package io.exactlyonce.tools.table;

import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.ScanFileRows;
import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.delta.sink.core.TableProgress;
import io.exactlyonce.tools.JobUids;
import io.exactlyonce.tools.TableOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructField;
import io.delta.kernel.utils.CloseableIterator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code table-status <path>}: a Delta table as the job's operator needs to see it, through Delta
 * Kernel's public API: its version, live data files, their bytes, the rows their statistics count
 * (and how many files have no row count), the partition columns, and the source positions the job's
 * sinks recorded with their last commit (per sink of {@code --uid-prefix}). Reads only; a path
 * that is not a Delta table exits 2.
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

    @Option(names = "--json", description = "print JSON")
    boolean json;

    /** What {@code table-status} prints. */
    public record Status(String table, long version, List<String> partitionColumns, long files, long bytes,
            long rows, long filesWithoutRowCount, Map<String, Map<String, Long>> recordedPositions) {}

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
        status.recordedPositions().forEach((sink, positions) ->
                out.printf("  positions recorded by %s: %s%n", sink, positions));
        return 0;
    }

    Status status() throws Exception {
        Engine engine = KernelEngines.create(Map.of());
        Snapshot snapshot = TableOptions.snapshot(engine, table, "<table>");
        long files = 0;
        long bytes = 0;
        long rows = 0;
        long withoutCount = 0;
        try (CloseableIterator<FilteredColumnarBatch> batches =
                snapshot.getScanBuilder().withFilter(matchingEveryRow(snapshot)).build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> scanFiles = batches.next().getRows()) {
                    while (scanFiles.hasNext()) {
                        Row add = ScanFileRows.add(scanFiles.next());
                        files++;
                        bytes += add.getLong(add.getSchema().indexOf("size"));
                        long count = numRecords(add);
                        if (count < 0) {
                            withoutCount++;
                        } else {
                            rows += count;
                        }
                    }
                }
            }
        }
        Map<String, Map<String, Long>> positions = new LinkedHashMap<>();
        for (String sink : JobUids.SINKS) {
            String progressId = uidPrefix + "-" + sink;
            TableProgress.read(snapshot, progressId)
                    .filter(p -> !p.isEmpty())
                    .map(SourceProgress::positions)
                    .ifPresent(p -> positions.put(progressId, p));
        }
        return new Status(table, snapshot.getVersion(), snapshot.getPartitionColumnNames(), files, bytes, rows,
                withoutCount, positions);
    }

    /**
     * A filter every row passes ({@code c IS NULL OR c IS NOT NULL} on the first data column): Kernel
     * only hands out the files' statistics when a filter asks for data skipping, and this one skips
     * no file.
     */
    private static Predicate matchingEveryRow(Snapshot snapshot) {
        String column = snapshot.getSchema().fields().stream()
                .map(StructField::getName)
                .filter(name -> !snapshot.getPartitionColumnNames().contains(name))
                .findFirst()
                .orElse(snapshot.getSchema().fieldNames().get(0));
        Column c = new Column(column);
        return new Predicate("OR", new Predicate("IS_NULL", c), new Predicate("IS_NOT_NULL", c));
    }

    /** The file's row count from its statistics, or -1 when it has none. */
    private static long numRecords(Row add) throws Exception {
        int stats = add.getSchema().indexOf("stats");
        if (stats < 0 || add.isNullAt(stats)) {
            return -1;
        }
        JsonNode numRecords = JSON.readTree(add.getString(stats)).get("numRecords");
        return numRecords == null ? -1 : numRecords.asLong();
    }
}
