package io.exactlyonce.delta.sink.core;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Versioned binary form of {@link StagedFile}, used on the wire between writer and committer and
 * inside checkpointed transactions.
 *
 * <p>Version 1 layout: {@code int version=1, string path, long size, long modificationTime, long
 * numRecords, int partitionCount, (string name, bool present, [string value])*, bool hasStats,
 * [string statsJson]}, where a string is an int byte length followed by UTF-8 bytes. Every later
 * version must keep reading version 1; an unknown version fails with a clear message.
 */
public final class StagedFileCodec {

    public static final int CURRENT_VERSION = 1;

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
        BinaryFormat.writeNullableString(out, file.statsJson());
    }

    public static StagedFile read(DataInput in) throws IOException {
        BinaryFormat.readVersion(in, "staged file", CURRENT_VERSION);
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
        String stats = BinaryFormat.readNullableString(in);
        return new StagedFile(path, size, modificationTime, partitionValues, numRecords, stats);
    }
}
