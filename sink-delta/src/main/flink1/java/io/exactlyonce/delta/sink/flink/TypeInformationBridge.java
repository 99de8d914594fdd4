package io.exactlyonce.delta.sink.flink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink 1.20's {@code TypeInformation} still has the abstract {@code
 * createSerializer(ExecutionConfig)} (Flink 2 has only {@code createSerializer(SerializerConfig)}):
 * this base forwards it, so the sink's type information implements the one method both lines have.
 */
@Internal
public abstract class TypeInformationBridge<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    @Override
    @Deprecated
    public final TypeSerializer<T> createSerializer(ExecutionConfig config) {
        return createSerializer(config.getSerializerConfig());
    }
}
