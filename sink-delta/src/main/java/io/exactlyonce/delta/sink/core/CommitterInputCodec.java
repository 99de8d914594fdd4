package io.exactlyonce.delta.sink.core;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Versioned binary form of {@link CommitterInput} on the writer-to-committer edge (and in the
 * in-flight data of unaligned checkpoints).
 *
 * <p>Version 1 layout: {@code int version=1, byte kind}, then for kind 1 a {@link StagedFile} in
 * {@link StagedFileCodec} form, for kind 2 {@code string key, long position}. Unknown versions and
 * kinds are rejected.
 */
public final class CommitterInputCodec {

    public static final int CURRENT_VERSION = 1;
    private static final byte FILE = 1;
    private static final byte PROGRESS = 2;

    private CommitterInputCodec() {}

    public static void write(CommitterInput input, DataOutput out) throws IOException {
        out.writeInt(CURRENT_VERSION);
        if (input.isFile()) {
            out.writeByte(FILE);
            StagedFileCodec.write(input.file(), out);
        } else {
            out.writeByte(PROGRESS);
            BinaryFormat.writeString(out, input.progressKey());
            out.writeLong(input.position());
        }
    }

    public static CommitterInput read(DataInput in) throws IOException {
        BinaryFormat.readVersion(in, "committer input", CURRENT_VERSION);
        byte kind = in.readByte();
        switch (kind) {
            case FILE:
                return CommitterInput.file(StagedFileCodec.read(in));
            case PROGRESS:
                return CommitterInput.progress(BinaryFormat.readString(in), in.readLong());
            default:
                throw new IOException("Corrupt state: unknown committer input kind " + kind);
        }
    }
}
