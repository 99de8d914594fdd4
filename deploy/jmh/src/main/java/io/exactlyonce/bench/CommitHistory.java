package io.exactlyonce.bench;

import io.exactlyonce.delta.sink.core.CommitResult;
import io.exactlyonce.delta.sink.core.DeltaCommitter;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.delta.sink.core.StagedFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An orders table with {@value #COMMITS} commits made by the sink's committer ({@value
 * #FILES_PER_COMMIT} files and the Kafka progress of three partitions each), so its log holds the
 * checkpoints and checksums the sink leaves behind; and the staging of further commits on copies of
 * it.
 *
 * <p>Making the commits takes about as long as the commit benchmark itself, so the table is made
 * once per build of the benchmarks and kept in the temp directory, named by the build (the
 * benchmarks jar's path and time) and the commit counts: every fork of the same build reuses it,
 * a rebuild makes a new one. It is made under a temporary name and renamed when complete, so a
 * fork never sees a half-made table; a leftover of an interrupted run is never used.
 */
final class CommitHistory {

    static final int COMMITS = 1000;
    static final int FILES_PER_COMMIT = 2;
    /** The committer's app id: the same for the earlier commits and the measured ones. */
    static final String APP_ID = "7b1c9e52-4c1f-4d0e-9a51-62f0a4c3b8d1";

    private CommitHistory() {}

    /** The table with the earlier commits, made now if this build has none yet. */
    static Path table(StagedFile sample) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path done = tmp.resolve("jmh-delta-commit-history-" + buildKey());
        if (Files.isDirectory(done)) {
            return done;
        }
        Path building = Files.createTempDirectory(tmp, "jmh-delta-commit-history-building");
        try {
            OrdersTable table = new OrdersTable(building);
            DeltaCommitter committer = table.committer();
            for (long checkpoint = 1; checkpoint <= COMMITS; checkpoint++) {
                commit(committer, transaction(sample, building, checkpoint, FILES_PER_COMMIT));
            }
            Files.move(building, done, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
            // another fork finished first: use its table
            OrdersTable.delete(building);
        } catch (IOException | RuntimeException e) {
            OrdersTable.delete(building);
            throw e;
        }
        return done;
    }

    /** Commits a transaction and insists that it was committed (not skipped as done already). */
    static CommitResult commit(DeltaCommitter committer, DeltaTransaction txn) {
        CommitResult result = committer.commit(txn);
        if (result.status() != CommitResult.Status.COMMITTED) {
            throw new IllegalStateException("Checkpoint " + txn.checkpointId() + " was not committed: " + result);
        }
        return result;
    }

    /**
     * A sealed transaction of checkpoint {@code checkpoint}: {@code count} new hard links of the
     * sample file in the table's directory, staged with its statistics, and the Kafka progress.
     */
    static DeltaTransaction transaction(StagedFile sample, Path tableDir, long checkpoint, int count)
            throws IOException {
        String samplePath = sample.path();
        int name = samplePath.lastIndexOf('/');
        String partitionDir = samplePath.substring(samplePath.lastIndexOf('/', name - 1) + 1, name);
        Path original = Path.of(URI.create(samplePath));
        Files.createDirectories(tableDir.resolve(partitionDir));
        List<StagedFile> staged = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Path link = tableDir.resolve(partitionDir).resolve(UUID.randomUUID() + "-000.parquet");
            Files.createLink(link, original);
            staged.add(new StagedFile(
                    link.toUri().toString(),
                    sample.sizeBytes(),
                    sample.modificationTime(),
                    sample.partitionValues(),
                    sample.numRecords(),
                    sample.statistics().orElse(null)));
        }
        Map<String, Long> positions = new TreeMap<>();
        for (int p = 0; p < 3; p++) {
            positions.put("kafka/orders/" + p + "/Xq1a2b3c4dTopicId", checkpoint * 10_000 + p);
        }
        return new DeltaTransaction(APP_ID, checkpoint, staged, SourceProgress.of(positions));
    }

    /**
     * Copies a table directory as hard links: data files, commits, checksums and checkpoints are
     * never written again. {@code _last_checkpoint} (and its Hadoop checksum) is rewritten in place
     * by later checkpoints: that one is copied, or the copy would change the original.
     */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (source.getFileName().toString().contains("_last_checkpoint")) {
                    Files.copy(source, target);
                } else {
                    Files.createLink(target, source);
                }
            }
        }
    }

    private static String buildKey() {
        try {
            Path code = Path.of(CommitHistory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String build = code.toAbsolutePath() + "@" + Files.getLastModifiedTime(code).toMillis();
            return Integer.toHexString((build + "/" + COMMITS + "x" + FILES_PER_COMMIT).hashCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
