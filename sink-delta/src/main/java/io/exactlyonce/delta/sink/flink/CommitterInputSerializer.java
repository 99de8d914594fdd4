package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.CommitterInputCodec;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Flink serializer of {@link CommitterInput}, in {@link CommitterInputCodec}'s versioned format. */
@Internal
public final class CommitterInputSerializer extends CodecSerializer<CommitterInput> {

    private static final long serialVersionUID = 1L;

    public static final CommitterInputSerializer INSTANCE = new CommitterInputSerializer();

    @Override
    void write(CommitterInput value, DataOutputView target) throws IOException {
        CommitterInputCodec.write(value, target);
    }

    @Override
    CommitterInput read(DataInputView source) throws IOException {
        return CommitterInputCodec.read(source);
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public CommitterInput copy(CommitterInput from) {
        return from;
    }

    @Override
    public TypeSerializerSnapshot<CommitterInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the serializer has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CommitterInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
