package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.DeltaCommitterContext;
import io.exactlyonce.delta.sink.core.DeltaCommitterContextCodec;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink serializer of {@link DeltaCommitterContext}, in {@link DeltaCommitterContextCodec}'s
 * versioned format.
 */
@Internal
public final class DeltaCommitterContextSerializer extends CodecSerializer<DeltaCommitterContext> {

    private static final long serialVersionUID = 1L;

    public static final DeltaCommitterContextSerializer INSTANCE =
            new DeltaCommitterContextSerializer();

    @Override
    void write(DeltaCommitterContext value, DataOutputView target) throws IOException {
        DeltaCommitterContextCodec.write(value, target);
    }

    @Override
    DeltaCommitterContext read(DataInputView source) throws IOException {
        return DeltaCommitterContextCodec.read(source);
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public DeltaCommitterContext copy(DeltaCommitterContext from) {
        return from;
    }

    @Override
    public TypeSerializerSnapshot<DeltaCommitterContext> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the serializer has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeltaCommitterContext> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
