package io.exactlyonce.delta.sink.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Parquet data file that a writer has closed inside the table directory but that no Delta log
 * version references yet.
 *
 * <p>It carries everything the committer needs to turn it into an {@code add} action without
 * touching the file again: absolute path, size, modification time, partition values (in the
 * writer's string form, see {@link PartitionValues}), record count and the per-column statistics
 * as Delta stats JSON. Instances are immutable; they cross the network from writer to committer and
 * are kept in checkpoints, always through {@link StagedFileCodec}.
 *
 * <p>If the job fails before the file's checkpoint completes, the file stays unreferenced: an
 * orphan that readers never see and that Delta {@code VACUUM} removes.
 */
public final class StagedFile {

    private final String path;
    private final long sizeBytes;
    private final long modificationTime;
    private final Map<String, String> partitionValues;
    private final long numRecords;
    private final String statsJson;

    public StagedFile(
            String path,
            long sizeBytes,
            long modificationTime,
            Map<String, String> partitionValues,
            long numRecords,
            String statsJson) {
        this.path = Objects.requireNonNull(path, "path");
        this.sizeBytes = sizeBytes;
        this.modificationTime = modificationTime;
        this.partitionValues =
                Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
        this.numRecords = numRecords;
        this.statsJson = statsJson;
    }

    /** Absolute URI of the file, inside the table directory. */
    public String path() {
        return path;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public long modificationTime() {
        return modificationTime;
    }

    /** Partition column name to value (null for a null partition value); empty if unpartitioned. */
    public Map<String, String> partitionValues() {
        return partitionValues;
    }

    public long numRecords() {
        return numRecords;
    }

    /** Delta statistics JSON ({@code numRecords}, min/max, null counts), or null if none. */
    public String statsJson() {
        return statsJson;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StagedFile)) {
            return false;
        }
        StagedFile that = (StagedFile) o;
        return sizeBytes == that.sizeBytes
                && modificationTime == that.modificationTime
                && numRecords == that.numRecords
                && path.equals(that.path)
                && partitionValues.equals(that.partitionValues)
                && Objects.equals(statsJson, that.statsJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, sizeBytes, modificationTime, partitionValues, numRecords);
    }

    @Override
    public String toString() {
        return "StagedFile{" + path + ", " + sizeBytes + " bytes, " + numRecords + " rows"
                + (partitionValues.isEmpty() ? "" : ", partition " + partitionValues) + '}';
    }
}
