package io.exactlyonce.delta.sink.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Appends a commit with {@code remove} actions to a table's log, the way another Delta writer
 * does when it restores the table to an earlier version or deletes data ({@code RESTORE}, {@code
 * DELETE}). Used to put a table behind a job's checkpointed state.
 */
public final class DeltaLogWriter {

    private DeltaLogWriter() {}

    /** Removes the given data files (absolute URIs or paths relative to the table). */
    public static void removeFiles(String tablePath, long newVersion, List<String> files) {
        Path root = Paths.get(URI.create(tablePath));
        long now = System.currentTimeMillis();
        String removes =
                files.stream()
                        .map(f -> root.toUri().relativize(URI.create(f)).toString())
                        .map(p -> "{\"remove\":{\"path\":\"" + p + "\",\"deletionTimestamp\":" + now
                                + ",\"dataChange\":true}}")
                        .collect(Collectors.joining("\n"));
        String commitInfo = "{\"commitInfo\":{\"timestamp\":" + now + ",\"operation\":\"RESTORE\"}}";
        Path commit = root.resolve("_delta_log").resolve(String.format("%020d.json", newVersion));
        try {
            Files.writeString(commit, commitInfo + "\n" + removes + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
