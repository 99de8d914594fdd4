package io.exactlyonce.delta.sink.core;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned binary form of {@link DeltaTransaction} as kept in the committer's checkpointed state.
 *
 * <p>Version 1 layout: {@code int version=1, string appId, long checkpointId (-1 if open), int
 * fileCount, StagedFile*} with each file in {@link StagedFileCodec} form. Unknown versions are
 * rejected.
 */
public final class DeltaTransactionCodec {

    public static final int CURRENT_VERSION = 1;

    private DeltaTransactionCodec() {}

    public static void write(DeltaTransaction txn, DataOutput out) throws IOException {
        out.writeInt(CURRENT_VERSION);
        BinaryFormat.writeString(out, txn.appId());
        out.writeLong(txn.checkpointId());
        out.writeInt(txn.files().size());
        for (StagedFile file : txn.files()) {
            StagedFileCodec.write(file, out);
        }
    }

    public static DeltaTransaction read(DataInput in) throws IOException {
        BinaryFormat.readVersion(in, "Delta transaction", CURRENT_VERSION);
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
        return new DeltaTransaction(appId, checkpointId, files);
    }
}
