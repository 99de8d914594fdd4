package io.exactlyonce.job.local;

import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Optional;
import java.util.Properties;

/**
 * Which tables a run writes, recorded by the embedded runner next to that run's checkpoints: {@code
 * <checkpoint-dir>/<job id>/}{@value #FILE_NAME}, written before the job is submitted (the runner fixes the
 * JobID), so it exists before any checkpoint of the run.
 *
 * <p>Why: the graph alone ({@link JobShape}) tells jobs apart by {@code --uid-prefix}; two local jobs
 * left at the defaults share both the default {@code --checkpoint-dir} and the default uid prefix, yet
 * write different tables. A checkpoint whose run wrote another orders table is another job's and is
 * never restored. A job directory without the file (written by a cluster, or by an earlier build) is
 * judged by the graph alone.
 */
final class JobIdentity {

    static final String FILE_NAME = "_exactly-once-job.properties";
    private static final String TABLE_PATH = "table-path";
    private static final String TOPICS = "topics";
    private static final String UID_PREFIX = "uid-prefix";

    private final String tablePath;
    private final String topics;
    private final String uidPrefix;

    private JobIdentity(String tablePath, String topics, String uidPrefix) {
        this.tablePath = tablePath;
        this.topics = topics;
        this.uidPrefix = uidPrefix;
    }

    static JobIdentity of(JobConfig config) {
        return new JobIdentity(normalize(config.tablePath()), String.join(",", config.topics()), config.uidPrefix());
    }

    /** Records this identity in the job directory {@code <checkpoint-dir>/<jobIdHex>}. */
    void writeTo(String checkpointDir, String jobIdHex) throws IOException {
        Path jobDir = new Path(new Path(checkpointDir), jobIdHex);
        FileSystem fs = jobDir.getFileSystem();
        fs.mkdirs(jobDir);
        Properties props = new Properties();
        props.setProperty(TABLE_PATH, tablePath);
        props.setProperty(TOPICS, topics);
        props.setProperty(UID_PREFIX, uidPrefix);
        try (FSDataOutputStream out = fs.create(new Path(jobDir, FILE_NAME), FileSystem.WriteMode.OVERWRITE)) {
            props.store(out, "written by the embedded runner; read when it looks for a checkpoint to resume from");
        }
    }

    /** The identity recorded in a job directory, if any. */
    static Optional<JobIdentity> readFrom(Path jobDir) throws IOException {
        Path file = new Path(jobDir, FILE_NAME);
        Properties props = new Properties();
        try (FSDataInputStream in = file.getFileSystem().open(file)) {
            props.load(in);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(new JobIdentity(
                props.getProperty(TABLE_PATH, ""), props.getProperty(TOPICS, ""), props.getProperty(UID_PREFIX, "")));
    }

    /** Why a run with {@code recorded} identity is another job than this one, or empty if it is not. */
    Optional<String> differenceFrom(JobIdentity recorded) {
        if (!tablePath.equals(recorded.tablePath)) {
            return Optional.of("its run wrote table " + recorded.tablePath + ", not " + tablePath
                    + " (" + FILE_NAME + ")");
        }
        if (!uidPrefix.equals(recorded.uidPrefix)) {
            return Optional.of("its run had --uid-prefix '" + recorded.uidPrefix + "' (" + FILE_NAME + ")");
        }
        return Optional.empty();
    }

    /** {@code /a/b}, {@code file:/a/b/} and {@code file:///a/b} are the same table. */
    private static String normalize(String path) {
        return new Path(path).makeQualified(FileSystem.getLocalFileSystem()).toUri().normalize().toString()
                .replaceAll("/+$", "");
    }
}
