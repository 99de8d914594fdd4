package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.DeltaTransactionCodec;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink serializer of the committer's {@link DeltaTransaction}, in {@link DeltaTransactionCodec}'s
 * versioned format.
 */
@Internal
public final class DeltaTransactionSerializer extends CodecSerializer<DeltaTransaction> {

    private static final long serialVersionUID = 1L;

    public static final DeltaTransactionSerializer INSTANCE = new DeltaTransactionSerializer();

    @Override
    void write(DeltaTransaction value, DataOutputView target) throws IOException {
        DeltaTransactionCodec.write(value, target);
    }

    @Override
    DeltaTransaction read(DataInputView source) throws IOException {
        return DeltaTransactionCodec.read(source);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public DeltaTransaction copy(DeltaTransaction from) {
        return from.copy();
    }

    @Override
    public TypeSerializerSnapshot<DeltaTransaction> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the serializer has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeltaTransaction> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
