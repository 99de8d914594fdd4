package io.exactlyonce.job.local;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the retained checkpoint an embedded run resumes from, the way Spark's
 * {@code checkpointLocation} resumes a query: the latest complete checkpoint of this job in the
 * checkpoint directory.
 *
 * <p>Layout (Flink's file checkpoint storage): {@code <checkpoint-dir>/<job id>/chk-<n>/_metadata}. A
 * checkpoint is complete when its {@code _metadata} exists (Flink writes it last, and deletes it first
 * when it discards a checkpoint); an in-progress, aborted or half-deleted one has none and is not a
 * candidate. Candidates are tried newest first: by the modification time of {@code _metadata}, then by
 * {@code n} (the JobID is new for every run and says nothing about order or ownership).
 *
 * <p>A candidate whose job directory records ({@link JobIdentity}) that its run wrote another table, or
 * had another {@code --uid-prefix}, is <b>another job's</b>: logged at INFO and never picked. Every other
 * candidate's {@code _metadata} is loaded with Flink's own reader and judged by {@link JobShape}:
 * <ul>
 *   <li>it fails to load: <b>corrupt</b>, logged at WARN with the cause, and the next older one is tried;</li>
 *   <li>it lacks this job's committers: <b>another job's</b> (other {@code --uid-prefix}), logged at INFO
 *       and never picked;</li>
 *   <li>it is this job's but holds state the graph cannot restore: <b>incompatible</b>, logged at WARN,
 *       and the next older one is tried;</li>
 *   <li>otherwise it is the one: {@link Selection#chosen()}.</li>
 * </ul>
 * Listing the directory may fail (no access, unknown file system): that is an {@link IOException} for the
 * caller, never an empty result, because an empty result means "start without state".
 */
final class RetainedCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedCheckpoints.class);
    private static final Pattern CHECKPOINT_DIR = Pattern.compile("chk-(\\d+)");
    private static final String METADATA = "_metadata";

    /** A complete retained checkpoint: its {@code chk-<n>} directory, {@code n} and when it was written. */
    static final class Candidate {
        final Path directory;
        final long checkpointId;
        final long modifiedMs;

        Candidate(Path directory, long checkpointId, long modifiedMs) {
            this.directory = directory;
            this.checkpointId = checkpointId;
            this.modifiedMs = modifiedMs;
        }

        /** The path to give Flink ({@code execution.savepoint.path}). */
        String pointer() {
            return directory.toString();
        }

        @Override
        public String toString() {
            return directory + " (checkpoint " + checkpointId + ", written " + Instant.ofEpochMilli(modifiedMs) + ")";
        }
    }

    /** The outcome of a search: the checkpoint to restore, if any, and what was passed over and why. */
    static final class Selection {
        private Candidate chosen;
        private String reason;
        final List<String> corrupt = new ArrayList<>();
        final List<String> incompatible = new ArrayList<>();
        final List<String> otherJobs = new ArrayList<>();

        Optional<Candidate> chosen() {
            return Optional.ofNullable(chosen);
        }

        /** Why the chosen checkpoint is this job's and restorable. */
        String reason() {
            return reason;
        }

        /** Complete checkpoints that may be this job's but cannot be restored (corrupt or incompatible). */
        List<String> unusable() {
            List<String> all = new ArrayList<>(corrupt);
            all.addAll(incompatible);
            return all;
        }
    }

    private final Path root;
    private final java.util.function.Supplier<JobShape> shapeSource;
    private JobShape shape;
    private final JobIdentity identity;
    private final ClassLoader classLoader;

    RetainedCheckpoints(String checkpointDir, JobShape shape, JobIdentity identity, ClassLoader classLoader) {
        this(checkpointDir, () -> shape, identity, classLoader);
    }

    /**
     * With the job's shape built only when a complete checkpoint is there to judge: a first start
     * (an empty or new directory) does not build the job graph twice.
     */
    RetainedCheckpoints(
            String checkpointDir, java.util.function.Supplier<JobShape> shape, JobIdentity identity, ClassLoader classLoader) {
        this.root = new Path(checkpointDir);
        this.shapeSource = shape;
        this.identity = identity;
        this.classLoader = classLoader;
    }

    /** The complete checkpoints under the directory, newest first; empty if the directory does not exist. */
    List<Candidate> complete() throws IOException {
        FileSystem fs = root.getFileSystem();
        List<Candidate> candidates = new ArrayList<>();
        if (!fs.exists(root)) {
            return candidates;
        }
        for (FileStatus job : listDirectories(fs, root)) {
            for (FileStatus checkpoint : listDirectories(fs, job.getPath())) {
                Matcher m = CHECKPOINT_DIR.matcher(checkpoint.getPath().getName());
                if (!m.matches()) {
                    continue;
                }
                Path metadata = new Path(checkpoint.getPath(), METADATA);
                FileStatus status;
                try {
                    status = fs.getFileStatus(metadata);
                } catch (FileNotFoundException e) {
                    continue; // in progress, aborted or being discarded
                }
                candidates.add(new Candidate(checkpoint.getPath(), Long.parseLong(m.group(1)), status.getModificationTime()));
            }
        }
        candidates.sort(Comparator.comparingLong((Candidate c) -> c.modifiedMs)
                .thenComparingLong(c -> c.checkpointId)
                .reversed());
        return candidates;
    }

    /** Tries the complete checkpoints newest first and returns the first one of this job that can be restored. */
    Selection select() throws IOException {
        Selection selection = new Selection();
        Map<Path, Optional<String>> otherJobDirs = new HashMap<>();
        for (Candidate candidate : complete()) {
            Path jobDir = candidate.directory.getParent();
            if (!otherJobDirs.containsKey(jobDir)) {
                otherJobDirs.put(jobDir, JobIdentity.readFrom(jobDir).flatMap(identity::differenceFrom));
            }
            Optional<String> otherJob = otherJobDirs.get(jobDir);
            if (otherJob.isPresent()) {
                LOG.info("Retained checkpoint {} is not of this job: {}; never restored by it", candidate, otherJob.get());
                selection.otherJobs.add(candidate + ": " + otherJob.get());
                continue;
            }
            CheckpointMetadata metadata;
            try {
                metadata = load(candidate);
            } catch (Exception e) {
                LOG.warn("Retained checkpoint {} is corrupt: its {} cannot be read ({}); trying the next older one",
                        candidate, METADATA, e.toString());
                selection.corrupt.add(candidate + ": " + e);
                continue;
            }
            if (shape == null) {
                shape = shapeSource.get();
            }
            JobShape.Match match = shape.match(metadata);
            if (match.kind == JobShape.Kind.THIS_JOB) {
                selection.chosen = candidate;
                selection.reason = match.reason;
                return selection;
            } else if (match.kind == JobShape.Kind.OTHER_JOB) {
                LOG.info("Retained checkpoint {} is not of this job (--uid-prefix '{}'): {}; never restored by it",
                        candidate, shape.uidPrefix(), match.reason);
                selection.otherJobs.add(candidate + ": " + match.reason);
            } else {
                LOG.warn("Retained checkpoint {} is of this job but cannot be restored by its graph: {};"
                        + " trying the next older one", candidate, match.reason);
                selection.incompatible.add(candidate + ": " + match.reason);
            }
        }
        return selection;
    }

    private CheckpointMetadata load(Candidate candidate) throws IOException {
        Path metadata = new Path(candidate.directory, METADATA);
        try (FSDataInputStream in = metadata.getFileSystem().open(metadata)) {
            // only reads: never dispose() the result, that would delete the checkpoint's files
            return Checkpoints.loadCheckpointMetadata(new DataInputStream(in), classLoader, candidate.pointer());
        }
    }

    private static List<FileStatus> listDirectories(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> dirs = new ArrayList<>();
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return dirs; // discarded while we looked
        }
        if (entries != null) {
            for (FileStatus entry : entries) {
                if (entry.isDir()) {
                    dirs.add(entry);
                }
            }
        }
        return dirs;
    }
}
