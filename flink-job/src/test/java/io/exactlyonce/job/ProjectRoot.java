package io.exactlyonce.job;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's root directory, for tests that read its README or scripts: the first directory
 * upwards from the working directory that holds both {@code README.md} and {@code flink-job/}. The
 * job's tests run from {@code flink-job/} (Flink 1.20) and from {@code flink-job/flink2/} (Flink 2).
 */
public final class ProjectRoot {

    private ProjectRoot() {}

    public static Path path() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("README.md")) && Files.isDirectory(candidate.resolve("flink-job"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("No project root (README.md next to flink-job/) above " + dir);
    }

    public static Path resolve(String first, String... more) {
        return path().resolve(Path.of(first, more));
    }
}
