package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.StagedFile;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information for the writer-to-committer stream of {@link StagedFile}s, so Flink uses {@link
 * StagedFileSerializer} (also for in-flight data kept by unaligned checkpoints) instead of Kryo.
 */
@Internal
public final class StagedFileTypeInfo extends TypeInformation<StagedFile> {

    private static final long serialVersionUID = 1L;

    public static final StagedFileTypeInfo INSTANCE = new StagedFileTypeInfo();

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
    public Class<StagedFile> getTypeClass() {
        return StagedFile.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<StagedFile> createSerializer(SerializerConfig config) {
        return StagedFileSerializer.INSTANCE;
    }

    @Override
    @Deprecated
    public TypeSerializer<StagedFile> createSerializer(ExecutionConfig config) {
        return StagedFileSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "StagedFile";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof StagedFileTypeInfo;
    }

    @Override
    public int hashCode() {
        return StagedFileTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof StagedFileTypeInfo;
    }
}
