package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.core.StagedFileCodec;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Flink serializer of {@link StagedFile}, in {@link StagedFileCodec}'s versioned format. */
@Internal
public final class StagedFileSerializer extends CodecSerializer<StagedFile> {

    private static final long serialVersionUID = 1L;

    public static final StagedFileSerializer INSTANCE = new StagedFileSerializer();

    @Override
    void write(StagedFile value, DataOutputView target) throws IOException {
        StagedFileCodec.write(value, target);
    }

    @Override
    StagedFile read(DataInputView source) throws IOException {
        return StagedFileCodec.read(source);
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public StagedFile copy(StagedFile from) {
        return from;
    }

    @Override
    public TypeSerializerSnapshot<StagedFile> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the serializer has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<StagedFile> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
