package io.exactlyonce.delta.sink.core;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Versioned binary form of {@link DeltaTransaction} as kept in the committer's checkpointed state.
 *
 * <p>Version 2 layout (written): {@code int version=2, string appId, long checkpointId (-1 if
 * open), int fileCount, StagedFile*, int progressCount, (string key, long position)*} with each
 * file in {@link StagedFileCodec} form. Version 1 (read) ends after the files and restores with no
 * source progress. Unknown versions are rejected.
 */
public final class DeltaTransactionCodec {

    public static final int CURRENT_VERSION = 2;

    private DeltaTransactionCodec() {}

    public static void write(DeltaTransaction txn, DataOutput out) throws IOException {
        out.writeInt(CURRENT_VERSION);
        BinaryFormat.writeString(out, txn.appId());
        out.writeLong(txn.checkpointId());
        out.writeInt(txn.files().size());
        for (StagedFile file : txn.files()) {
            StagedFileCodec.write(file, out);
        }
        out.writeInt(txn.progress().positions().size());
        for (Map.Entry<String, Long> e : txn.progress().positions().entrySet()) {
            BinaryFormat.writeString(out, e.getKey());
            out.writeLong(e.getValue());
        }
    }

    public static DeltaTransaction read(DataInput in) throws IOException {
        int version = BinaryFormat.readVersion(in, "Delta transaction", CURRENT_VERSION);
        String appId = BinaryFormat.readString(in);
        long checkpointId = in.readLong();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("Corrupt state: negative file count " + count);
        }
        List<StagedFile> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            files.add(StagedFileCodec.read(in));
        }
        SourceProgress progress = SourceProgress.empty();
        if (version >= 2) {
            int keys = in.readInt();
            if (keys < 0) {
                throw new IOException("Corrupt state: negative progress count " + keys);
            }
            Map<String, Long> positions = new HashMap<>();
            for (int i = 0; i < keys; i++) {
                positions.put(BinaryFormat.readString(in), in.readLong());
            }
            progress = SourceProgress.of(positions);
        }
        return new DeltaTransaction(appId, checkpointId, files, progress);
    }
}
