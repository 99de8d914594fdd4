package io.exactlyonce.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the commits of a local Delta table straight from its {@code _delta_log/NNN.json} files (the
 * Delta protocol's commit files, one action per line): per version the {@code commitInfo}
 * timestamp (when the commit was made, i.e. when its rows became visible), the {@code txn} version
 * (the sink's checkpoint id) and the files added with their row counts from the {@code add} stats.
 * An {@code add} without {@code numRecords} fails: the harness counts rows from the log.
 */
final class DeltaLogCommits {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file added by a commit: absolute path and rows. */
    record AddedFile(Path path, long rows) {}

    /** One version of the table. */
    record Version(long version, long timestampMillis, long txnVersion, List<AddedFile> adds) {
        long rows() {
            return adds.stream().mapToLong(AddedFile::rows).sum();
        }
    }

    private DeltaLogCommits() {}

    /** Every committed version of the table at {@code table}, in order; empty when there is no log yet. */
    static List<Version> read(Path table) throws IOException {
        Path log = table.resolve("_delta_log");
        if (!Files.isDirectory(log)) {
            return List.of();
        }
        List<Path> commits;
        try (Stream<Path> files = Files.list(log)) {
            commits = files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json"))
                    .sorted(Comparator.comparing(Path::getFileName))
                    .toList();
        }
        List<Version> versions = new ArrayList<>();
        for (Path commit : commits) {
            versions.add(version(table, commit));
        }
        return versions;
    }

    /** Rows of every version, as visibility events (commit time, rows). */
    static List<BenchStats.Commit> asCommits(List<Version> versions) {
        return versions.stream().map(v -> new BenchStats.Commit(v.timestampMillis(), v.rows())).toList();
    }

    private static Version version(Path table, Path commit) throws IOException {
        String name = commit.getFileName().toString();
        long number = Long.parseLong(name.substring(0, name.indexOf('.')));
        long timestamp = -1;
        long txn = -1;
        List<AddedFile> adds = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(commit)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode action = JSON.readTree(line);
                if (action.has("commitInfo")) {
                    timestamp = action.get("commitInfo").path("timestamp").asLong(-1);
                } else if (action.has("txn")) {
                    txn = action.get("txn").path("version").asLong(-1);
                } else if (action.has("add")) {
                    adds.add(added(table, action.get("add"), commit));
                }
            }
        }
        if (timestamp < 0) {
            timestamp = Files.getLastModifiedTime(commit).toMillis();
        }
        return new Version(number, timestamp, txn, adds);
    }

    private static AddedFile added(Path table, JsonNode add, Path commit) throws IOException {
        String stats = add.path("stats").asText(null);
        JsonNode numRecords = stats == null ? null : JSON.readTree(stats).get("numRecords");
        if (numRecords == null) {
            throw new IllegalStateException("An add action in " + commit + " has no numRecords statistic");
        }
        URI relative = URI.create(add.path("path").asText());
        Path file = relative.isAbsolute() ? Path.of(relative) : Path.of(table.toUri().resolve(relative));
        return new AddedFile(file, numRecords.asLong());
    }
}
