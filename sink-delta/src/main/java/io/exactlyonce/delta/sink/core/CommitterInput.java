package io.exactlyonce.delta.sink.core;

import java.util.Objects;

/**
 * One element on the stream into the committer: a {@link StagedFile} from a writer, or a source
 * position from the job's progress stream (see {@link SourceProgress}). Both belong to the
 * checkpoint whose barrier follows them, so the transaction sealed at that barrier holds the files
 * and the position they were read up to. Immutable; serialized by {@link CommitterInputCodec}.
 */
public final class CommitterInput {

    private final StagedFile file;
    private final String progressKey;
    private final long position;

    private CommitterInput(StagedFile file, String progressKey, long position) {
        this.file = file;
        this.progressKey = progressKey;
        this.position = position;
    }

    public static CommitterInput file(StagedFile file) {
        return new CommitterInput(Objects.requireNonNull(file, "file"), null, -1);
    }

    public static CommitterInput progress(String key, long position) {
        return new CommitterInput(null, Objects.requireNonNull(key, "key"), position);
    }

    public boolean isFile() {
        return file != null;
    }

    /** The staged file; only for {@link #isFile()}. */
    public StagedFile file() {
        if (file == null) {
            throw new IllegalStateException("not a file: " + this);
        }
        return file;
    }

    /** The split key of a progress element. */
    public String progressKey() {
        return progressKey;
    }

    /** The position of a progress element. */
    public long position() {
        return position;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CommitterInput)) {
            return false;
        }
        CommitterInput that = (CommitterInput) o;
        return position == that.position
                && Objects.equals(file, that.file)
                && Objects.equals(progressKey, that.progressKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, progressKey, position);
    }

    @Override
    public String toString() {
        return isFile() ? file.toString() : "Progress{" + progressKey + "=" + position + '}';
    }
}
