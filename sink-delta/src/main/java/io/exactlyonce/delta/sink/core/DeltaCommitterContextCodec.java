package io.exactlyonce.delta.sink.core;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Versioned binary form of {@link DeltaCommitterContext}.
 *
 * <p>Version 1 layout: {@code int version=1, string appId}. Unknown versions are rejected.
 */
public final class DeltaCommitterContextCodec {

    public static final int CURRENT_VERSION = 1;

    private DeltaCommitterContextCodec() {}

    public static void write(DeltaCommitterContext context, DataOutput out) throws IOException {
        out.writeInt(CURRENT_VERSION);
        BinaryFormat.writeString(out, context.appId());
    }

    public static DeltaCommitterContext read(DataInput in) throws IOException {
        BinaryFormat.readVersion(in, "Delta committer context", CURRENT_VERSION);
        return new DeltaCommitterContext(BinaryFormat.readString(in));
    }
}
