package io.exactlyonce.delta.sink.core;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Primitives shared by the sink's versioned state codecs: length-prefixed UTF-8 strings (no 64 KB
 * limit, unlike {@link DataOutput#writeUTF}), nullable strings, and the version check that rejects
 * state written by an unknown (newer) format instead of misreading it.
 */
final class BinaryFormat {

    private BinaryFormat() {}

    static void writeString(DataOutput out, String value) throws IOException {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    static String readString(DataInput in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Corrupt state: negative byte length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    static void writeNullableString(DataOutput out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeString(out, value);
        }
    }

    static String readNullableString(DataInput in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    static int readVersion(DataInput in, String what, int currentVersion) throws IOException {
        int version = in.readInt();
        if (version < 1 || version > currentVersion) {
            throw new IOException(
                    "Cannot read " + what + " state of format version " + version
                            + ": this build reads versions 1 to " + currentVersion
                            + ". The checkpoint or savepoint was written by a newer release, or"
                            + " it is not this sink's state (check the operator uids).");
        }
        return version;
    }
}
