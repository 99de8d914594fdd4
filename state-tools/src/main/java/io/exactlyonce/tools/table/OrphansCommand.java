package io.exactlyonce.tools.table;

import io.exactlyonce.delta.sink.core.KernelEngines;
import io.exactlyonce.delta.sink.core.QuarantineLog;
import io.exactlyonce.tools.StateTools;
import io.exactlyonce.tools.TableOptions;
import io.exactlyonce.tools.ToolInputException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code orphans <table> [--delete --older-than <duration>]}: the data files in a table's directory
 * that its log does not reference — neither a live file nor one removed recently enough to keep a
 * tombstone (see {@link ReferencedFiles}). A writer that crashed between writing a file and
 * committing it leaves such files; so does a job whose pending checkpoint was never committed.
 *
 * <p>Lists them with size and age. With {@code --delete} it removes those older than {@code
 * --older-than}, and never: a referenced file (the set is computed before anything is deleted, from
 * the snapshot the command opened, and a newer table version stops the deletion), a file recorded
 * in {@code _quarantine} (the rows of a checkpoint an operator chose to skip, kept for recovery by
 * hand), or a file younger than the limit (a running job's staged files are not in the log until
 * its checkpoint completes). A log it cannot fully read (a V2 checkpoint) exits 1 without deleting.
 */
@Command(name = "orphans", mixinStandardHelpOptions = true,
        description = "List (and with --delete remove) data files of a Delta table that its log does not reference.")
public final class OrphansCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(OrphansCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<table>", description = "the Delta table's path")
    String table;

    @Option(names = "--delete", description = "delete the orphans older than --older-than")
    boolean delete;

    @Option(names = "--older-than", paramLabel = "<duration>",
            description = "only files last modified longer ago than this, e.g. 7d, 36h, 90m, PT2H; required with --delete."
                    + " Choose it longer than the age of any savepoint or checkpoint you may still restore: its pending"
                    + " files are not in the log until the restored job commits them")
    String olderThan;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    /** One unreferenced file. */
    public record Orphan(String path, long size, String modified, boolean quarantined, boolean deletable, boolean deleted) {}

    /** What {@code orphans} prints. */
    public record Report(String table, long version, long dataFiles, long referencedFiles, List<Orphan> orphans,
            long orphanBytes, long deletedFiles, long deletedBytes) {}

    @Override
    public Integer call() throws Exception {
        Duration minAge = olderThan == null ? null : parseDuration(olderThan);
        if (delete && minAge == null) {
            throw new ToolInputException("'--delete' needs '--older-than <duration>' (e.g. --older-than 7d): files a running"
                    + " job staged for its next commit are not in the log yet, and only their age tells them apart");
        }
        Engine engine = KernelEngines.create(Map.of());
        Snapshot snapshot = TableOptions.snapshot(engine, table, "<table>");
        TableDirectory directory = TableDirectory.of(table);
        Set<String> referenced;
        try {
            referenced = keys(directory, ReferencedFiles.of(engine, snapshot, DeltaLogListing.of(engine, table)));
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return StateTools.CHECK_FAILED;
        }
        Set<String> quarantined = quarantinedFiles(directory);
        long now = System.currentTimeMillis();
        List<TableDirectory.DataFile> files = directory.dataFiles();
        List<TableDirectory.DataFile> unreferenced = new ArrayList<>();
        for (TableDirectory.DataFile file : files) {
            if (!referenced.contains(file.relativePath())) {
                unreferenced.add(file);
            }
        }
        unreferenced.sort(Comparator.comparing(TableDirectory.DataFile::relativePath));
        if (delete && TableOptions.snapshot(engine, table, "<table>").getVersion() != snapshot.getVersion()) {
            spec.commandLine().getErr().printf("error: the table moved on from version %d while the files were listed;"
                    + " nothing was deleted — run again%n", snapshot.getVersion());
            return StateTools.CHECK_FAILED;
        }
        List<Orphan> orphans = new ArrayList<>();
        long orphanBytes = 0;
        long deletedFiles = 0;
        long deletedBytes = 0;
        for (TableDirectory.DataFile file : unreferenced) {
            boolean isQuarantined = quarantined.contains(file.relativePath());
            boolean deletable = !isQuarantined && minAge != null && now - file.modificationTime() > minAge.toMillis();
            boolean deleted = false;
            if (delete && deletable) {
                deleted = directory.delete(file.relativePath());
                if (deleted) {
                    LOG.info("Deleted orphan {} ({} bytes, last modified {})", file.relativePath(), file.size(),
                            Instant.ofEpochMilli(file.modificationTime()));
                    deletedFiles++;
                    deletedBytes += file.size();
                }
            }
            orphanBytes += file.size();
            orphans.add(new Orphan(file.relativePath(), file.size(), Instant.ofEpochMilli(file.modificationTime()).toString(),
                    isQuarantined, deletable, deleted));
        }
        Report report = new Report(table, snapshot.getVersion(), files.size(), referenced.size(), orphans, orphanBytes,
                deletedFiles, deletedBytes);
        print(report, minAge);
        return 0;
    }

    private void print(Report report, Duration minAge) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            return;
        }
        out.printf("Table %s, version %d: %d data files in the directory, %d paths referenced by the log%n",
                report.table(), report.version(), report.dataFiles(), report.referencedFiles());
        for (Orphan orphan : report.orphans()) {
            out.printf("  %s%-12s %s  %s%s%n", orphan.deleted() ? "deleted " : "", orphan.size(), orphan.modified(),
                    orphan.path(), orphan.quarantined() ? "  (quarantined: kept, see _quarantine/)"
                            : minAge != null && !orphan.deletable() ? "  (younger than " + olderThan + ")" : "");
        }
        out.printf("%d orphans, %d bytes%s%n", report.orphans().size(), report.orphanBytes(),
                delete ? String.format("; deleted %d files, %d bytes", report.deletedFiles(), report.deletedBytes()) : "");
    }

    /** Keys of the referenced paths; a referenced path outside the table directory cannot be an orphan here. */
    private static Set<String> keys(TableDirectory directory, Set<String> logPaths) {
        Set<String> keys = new HashSet<>();
        for (String path : logPaths) {
            directory.keyOfLogPath(path).ifPresent(keys::add);
        }
        return keys;
    }

    /** The files the quarantine records of the table name. */
    private Set<String> quarantinedFiles(TableDirectory directory) throws Exception {
        Set<String> keys = new HashSet<>();
        for (Path record : directory.jsonFilesIn(QuarantineLog.directoryOf(table))) {
            try (FSDataInputStream in = directory.fileSystem().open(record);
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    JsonNode path = line.isBlank() ? null : JSON.readTree(line).get("path");
                    if (path != null) {
                        directory.keyOfAbsolutePath(path.asText()).ifPresent(keys::add);
                    }
                }
            }
        }
        return keys;
    }

    /** {@code 7d}, {@code 36h}, {@code 90m}, {@code 30s} or an ISO-8601 duration ({@code PT2H}). */
    static Duration parseDuration(String text) {
        String value = text.trim();
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return nonNegative(Duration.parse(value), text);
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            switch (value.charAt(value.length() - 1)) {
                case 'd': return nonNegative(Duration.ofDays(amount), text);
                case 'h': return nonNegative(Duration.ofHours(amount), text);
                case 'm': return nonNegative(Duration.ofMinutes(amount), text);
                case 's': return nonNegative(Duration.ofSeconds(amount), text);
                default: break;
            }
        } catch (NumberFormatException | java.time.format.DateTimeParseException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        throw new ToolInputException("'--older-than' '" + text + "' is not a duration: use e.g. 7d, 36h, 90m, 30s or PT2H");
    }

    private static Duration nonNegative(Duration duration, String text) {
        if (duration.isNegative()) {
            throw new ToolInputException("'--older-than' '" + text + "' is negative");
        }
        return duration;
    }
}
