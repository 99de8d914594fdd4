package io.exactlyonce.delta.sink.core;

import io.delta.kernel.statistics.DataFileStatistics;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Versioned binary form of {@link StagedFile}, used on the wire between writer and committer and
 * inside checkpointed transactions.
 *
 * <p>Version 2 layout (written): {@code int version=2, string path, long size, long
 * modificationTime, long numRecords, int partitionCount, (string name, bool present, [string
 * value])*, bool hasStats, [statistics in {@link StatisticsCodec} form]}, where a string is an int
 * byte length followed by UTF-8 bytes.
 *
 * <p>Version 1 (read only) ended in {@code bool hasStats, [string statsJson]}: statistics as Delta
 * stats JSON, which Kernel parses back with decimals as doubles — the largest {@code decimal(18,2)}
 * returned as {@code 1.0E16} and failed every commit of its checkpoint. A version-1 file therefore
 * comes back with its record count only and no min/max (statistics are optional; a file without
 * them is simply never skipped by readers), so state written by the earlier release restores and
 * commits. Unknown versions fail with a clear message.
 */
public final class StagedFileCodec {

    public static final int CURRENT_VERSION = 2;

    private StagedFileCodec() {}

    public static void write(StagedFile file, DataOutput out) throws IOException {
        out.writeInt(CURRENT_VERSION);
        BinaryFormat.writeString(out, file.path());
        out.writeLong(file.sizeBytes());
        out.writeLong(file.modificationTime());
        out.writeLong(file.numRecords());
        out.writeInt(file.partitionValues().size());
        for (Map.Entry<String, String> e : file.partitionValues().entrySet()) {
            BinaryFormat.writeString(out, e.getKey());
            BinaryFormat.writeNullableString(out, e.getValue());
        }
        Optional<DataFileStatistics> stats = file.statistics();
        out.writeBoolean(stats.isPresent());
        if (stats.isPresent()) {
            StatisticsCodec.write(stats.get(), out);
        }
    }

    public static StagedFile read(DataInput in) throws IOException {
        int version = BinaryFormat.readVersion(in, "staged file", CURRENT_VERSION);
        String path = BinaryFormat.readString(in);
        long size = in.readLong();
        long modificationTime = in.readLong();
        long numRecords = in.readLong();
        int partitionCount = in.readInt();
        if (partitionCount < 0) {
            throw new IOException("Corrupt state: negative partition count " + partitionCount);
        }
        Map<String, String> partitionValues = new LinkedHashMap<>();
        for (int i = 0; i < partitionCount; i++) {
            partitionValues.put(BinaryFormat.readString(in), BinaryFormat.readNullableString(in));
        }
        DataFileStatistics stats;
        if (version == 1) {
            stats = BinaryFormat.readNullableString(in) == null ? null : recordCountOnly(numRecords);
        } else {
            stats = in.readBoolean() ? StatisticsCodec.read(in) : null;
        }
        return new StagedFile(path, size, modificationTime, partitionValues, numRecords, stats);
    }

    private static DataFileStatistics recordCountOnly(long numRecords) {
        return new DataFileStatistics(
                numRecords, new HashMap<>(), new HashMap<>(), new HashMap<>(), Optional.empty());
    }
}
