package io.exactlyonce.tools.table;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a table's {@code _delta_log} directory, classified by the Delta protocol's naming
 * rules: JSON commits by version, and the newest complete classic checkpoint (single file or all
 * parts of a multi-part one). Listed through the engine's {@code FileSystemClient}, so it works on
 * every file system the engine reaches.
 *
 * <p>A V2 checkpoint ({@code <version>.checkpoint.<uuid>.json|parquet}, whose actions may live in
 * sidecar files) is recognised but not read: {@link #unreadableCheckpoint()} names it, and callers
 * that must see every tombstone refuse to act on such a table rather than guess.
 */
final class DeltaLogListing {

    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    private static final Pattern CLASSIC_CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint(?:\\.(\\d+)\\.(\\d+))?\\.parquet");
    private static final Pattern V2_CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint\\.[0-9a-fA-F-]{36}\\.(?:json|parquet)");

    private final NavigableMap<Long, FileStatus> commits;
    private final long checkpointVersion;
    private final List<FileStatus> checkpointParts;
    private final String unreadableCheckpoint;

    private DeltaLogListing(NavigableMap<Long, FileStatus> commits, long checkpointVersion,
            List<FileStatus> checkpointParts, String unreadableCheckpoint) {
        this.commits = commits;
        this.checkpointVersion = checkpointVersion;
        this.checkpointParts = checkpointParts;
        this.unreadableCheckpoint = unreadableCheckpoint;
    }

    /** Lists {@code <table>/_delta_log}. */
    static DeltaLogListing of(Engine engine, String table) {
        String logDir = (table.endsWith("/") ? table : table + "/") + "_delta_log/";
        NavigableMap<Long, FileStatus> commits = new TreeMap<>();
        Map<Long, Map<Integer, Map<Integer, FileStatus>>> classic = new TreeMap<>();
        long newestV2 = -1;
        String newestV2Name = null;
        try (CloseableIterator<FileStatus> files =
                engine.getFileSystemClient().listFrom(logDir + "00000000000000000000")) {
            while (files.hasNext()) {
                FileStatus file = files.next();
                String name = file.getPath().substring(file.getPath().lastIndexOf('/') + 1);
                Matcher m;
                if ((m = COMMIT.matcher(name)).matches()) {
                    commits.put(Long.parseLong(m.group(1)), file);
                } else if ((m = CLASSIC_CHECKPOINT.matcher(name)).matches()) {
                    int parts = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
                    int part = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                    classic.computeIfAbsent(Long.parseLong(m.group(1)), v -> new TreeMap<>())
                            .computeIfAbsent(parts, n -> new TreeMap<>())
                            .put(part, file);
                } else if ((m = V2_CHECKPOINT.matcher(name)).matches() && Long.parseLong(m.group(1)) > newestV2) {
                    newestV2 = Long.parseLong(m.group(1));
                    newestV2Name = name;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + logDir, e);
        }
        long checkpointVersion = -1;
        List<FileStatus> parts = List.of();
        for (Map.Entry<Long, Map<Integer, Map<Integer, FileStatus>>> version : classic.entrySet()) {
            for (Map.Entry<Integer, Map<Integer, FileStatus>> set : version.getValue().entrySet()) {
                if (set.getValue().size() == set.getKey()) { // every part of the checkpoint is there
                    checkpointVersion = version.getKey();
                    parts = new ArrayList<>(set.getValue().values());
                }
            }
        }
        String unreadable = newestV2 > checkpointVersion ? newestV2Name : null;
        return new DeltaLogListing(commits, checkpointVersion, Collections.unmodifiableList(parts), unreadable);
    }

    /** The JSON commit of a version, if the log still holds it. */
    Optional<FileStatus> commit(long version) {
        return Optional.ofNullable(commits.get(version));
    }

    /** The JSON commits after the newest complete checkpoint (all of them when there is none), oldest first. */
    List<FileStatus> commitsAfterCheckpoint() {
        return new ArrayList<>(commits.tailMap(checkpointVersion, false).values());
    }

    /** The newest complete classic checkpoint's version, or -1. */
    long checkpointVersion() {
        return checkpointVersion;
    }

    /** The files of the newest complete classic checkpoint (empty when there is none). */
    List<FileStatus> checkpointParts() {
        return checkpointParts;
    }

    /** The name of a V2 checkpoint newer than every classic one, which this tool does not read, or null. */
    String unreadableCheckpoint() {
        return unreadableCheckpoint;
    }
}
