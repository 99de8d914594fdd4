package io.exactlyonce.tools.table;

import io.exactlyonce.delta.sink.core.KernelEngines;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data files in a table's directory tree, and the mapping from the paths the Delta log writes
 * (relative, URI-encoded, or absolute URIs) to the same keys, so the two can be compared. Walks
 * through Hadoop's {@link FileSystem} (every store the engine reaches, with the same configuration).
 *
 * <p>Skips what Delta readers and VACUUM skip: names starting with {@code _} or {@code .} ({@code
 * _delta_log}, {@code _quarantine}, checksum files), except directories named like a partition
 * ({@code col=value}).
 */
final class TableDirectory {

    /** A data file: its path relative to the table root (decoded), size and modification time. */
    record DataFile(String relativePath, long size, long modificationTime) {}

    private final FileSystem fs;
    private final Path root;
    private final URI rootUri;

    private TableDirectory(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
        String uri = root.toUri().toString();
        this.rootUri = URI.create(uri.endsWith("/") ? uri : uri + "/");
    }

    static TableDirectory of(String table) throws IOException {
        Path path = new Path(table);
        FileSystem fs = path.getFileSystem(KernelEngines.hadoopConfiguration(Map.of()));
        return new TableDirectory(fs, fs.makeQualified(path));
    }

    /** Every data file under the root, skipping hidden names as described above. */
    List<DataFile> dataFiles() throws IOException {
        List<DataFile> files = new ArrayList<>();
        walk(root, files);
        return files;
    }

    private void walk(Path dir, List<DataFile> files) throws IOException {
        for (FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            boolean hidden = name.startsWith("_") || name.startsWith(".");
            if (status.isDirectory()) {
                if (!hidden || name.contains("=")) {
                    walk(status.getPath(), files);
                }
            } else if (!hidden) {
                files.add(new DataFile(relative(status.getPath()).orElseThrow(), status.getLen(),
                        status.getModificationTime()));
            }
        }
    }

    /**
     * The key of a path written in the log: a relative URI resolved against the root, an absolute
     * one made relative to it; empty for a file outside the table directory.
     */
    Optional<String> keyOfLogPath(String logPath) {
        URI uri;
        try {
            uri = new URI(logPath);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the log holds a path that is not a URI: " + logPath, e);
        }
        if (!uri.isAbsolute() && !logPath.startsWith("/")) {
            return Optional.of(uri.getPath());
        }
        return relative(new Path(uri));
    }

    /** The key of a path given as a plain file-system path (a staged file's absolute path). */
    Optional<String> keyOfAbsolutePath(String path) {
        return relative(new Path(path));
    }

    private Optional<String> relative(Path path) {
        URI file = fs.makeQualified(path).toUri();
        URI relative = rootUri.relativize(file);
        return relative.isAbsolute() || relative.getPath().startsWith("/")
                ? Optional.empty()
                : Optional.of(relative.getPath());
    }

    /** The absolute path of a key. */
    Path resolve(String relativePath) {
        return new Path(root, new Path(null, null, relativePath));
    }

    /** Deletes one file (and, on a checksummed local file system, its checksum). */
    boolean delete(String relativePath) throws IOException {
        return fs.delete(resolve(relativePath), false);
    }

    /** The JSON files directly in a directory, e.g. the quarantine records; none when it is missing. */
    List<Path> jsonFilesIn(String directory) throws IOException {
        Path dir = new Path(directory);
        List<Path> files = new ArrayList<>();
        if (!fs.exists(dir)) {
            return files;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, false);
        while (it.hasNext()) {
            LocatedFileStatus status = it.next();
            if (status.getPath().getName().endsWith(".json")) {
                files.add(status.getPath());
            }
        }
        return files;
    }

    FileSystem fileSystem() {
        return fs;
    }
}
