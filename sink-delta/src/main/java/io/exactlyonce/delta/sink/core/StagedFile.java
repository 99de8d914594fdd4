package io.exactlyonce.delta.sink.core;

import io.delta.kernel.statistics.DataFileStatistics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Parquet data file that a writer has closed inside the table directory but that no Delta log
 * version references yet.
 *
 * <p>It carries everything the committer needs to turn it into an {@code add} action without
 * touching the file again: absolute path, size, modification time, partition values (in the
 * writer's string form, see {@link PartitionValues}), record count and the per-column statistics
 * as typed values ({@link DataFileStatistics}, already reduced to what can be written exactly, see
 * {@link ExactStatistics}). Instances are immutable; they cross the network from writer to
 * committer and are kept in checkpoints, always through {@link StagedFileCodec}, which keeps every
 * statistic exact (a decimal never passes through a double).
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
    private final DataFileStatistics statistics;

    public StagedFile(
            String path,
            long sizeBytes,
            long modificationTime,
            Map<String, String> partitionValues,
            long numRecords,
            DataFileStatistics statistics) {
        this.path = Objects.requireNonNull(path, "path");
        this.sizeBytes = sizeBytes;
        this.modificationTime = modificationTime;
        this.partitionValues =
                Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
        this.numRecords = numRecords;
        this.statistics = statistics;
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

    /** Column statistics (min/max, null counts) to write into the {@code add} action, if any. */
    public Optional<DataFileStatistics> statistics() {
        return Optional.ofNullable(statistics);
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
                && Objects.equals(statistics, that.statistics);
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
