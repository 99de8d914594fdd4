package io.exactlyonce.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The finished files of the FileSink baseline (variant c): part files whose name does not start with
 * a dot (in-progress and pending files are hidden, {@code .part-…inprogress…}), with their rows and
 * the time they became visible (first seen by the {@link RunObserver}, or the run's end for a file
 * committed after the last look).
 */
final class FileSinkOutput {

    /** A finished file: path, rows, visible since. */
    record FinishedFile(Path path, long rows, long visibleMillis) {}

    private FileSinkOutput() {}

    static boolean isFinishedPart(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("part-") && name.endsWith(".parquet") && Files.isRegularFile(file);
    }

    static List<FinishedFile> read(Path dir, Map<Path, Long> seen, long endMillis) throws IOException {
        List<FinishedFile> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        List<Path> parts;
        try (Stream<Path> walk = Files.walk(dir)) {
            parts = walk.filter(FileSinkOutput::isFinishedPart).sorted().toList();
        }
        for (Path part : parts) {
            files.add(new FinishedFile(part, ParquetColumns.rowCount(part), seen.getOrDefault(part, endMillis)));
        }
        return files;
    }

    static List<BenchStats.Commit> asCommits(List<FinishedFile> files) {
        return files.stream().map(f -> new BenchStats.Commit(f.visibleMillis(), f.rows())).toList();
    }
}
