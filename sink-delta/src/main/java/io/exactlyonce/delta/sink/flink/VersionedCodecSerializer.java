package io.exactlyonce.delta.sink.flink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * The Sink V2 form ({@link SimpleVersionedSerializer}) of one of the sink's codec-backed Flink
 * serializers, for committables and writer results. The byte format and its versions are the
 * codec's own (it writes its version first and rejects unknown ones), so the outer version stays 1;
 * an unknown outer version is rejected too.
 */
@Internal
final class VersionedCodecSerializer<T> implements SimpleVersionedSerializer<T> {

    private static final int VERSION = 1;

    private final TypeSerializer<T> serializer;

    VersionedCodecSerializer(TypeSerializer<T> serializer) {
        this.serializer = serializer;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public T deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Cannot read Delta sink data of serializer version " + version
                            + "; this build reads version " + VERSION);
        }
        return serializer.deserialize(new DataInputDeserializer(serialized));
    }
}
