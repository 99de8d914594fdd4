package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitterInput;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information for the stream into the committer ({@link CommitterInput}: staged files and
 * source progress), so Flink uses {@link
 * CommitterInputSerializer} (also for in-flight data kept by unaligned checkpoints) instead of Kryo.
 */
@PublicEvolving
public final class CommitterInputTypeInfo extends TypeInformationBridge<CommitterInput> {

    private static final long serialVersionUID = 1L;

    public static final CommitterInputTypeInfo INSTANCE = new CommitterInputTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<CommitterInput> getTypeClass() {
        return CommitterInput.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<CommitterInput> createSerializer(SerializerConfig config) {
        return CommitterInputSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "CommitterInput";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof CommitterInputTypeInfo;
    }

    @Override
    public int hashCode() {
        return CommitterInputTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof CommitterInputTypeInfo;
    }
}
