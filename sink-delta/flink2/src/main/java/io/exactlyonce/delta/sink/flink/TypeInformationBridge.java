package io.exactlyonce.delta.sink.flink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The base of the sink's type information. On Flink 2 {@code TypeInformation} has one serializer
 * factory method ({@code createSerializer(SerializerConfig)}), so there is nothing to bridge; the
 * Flink 1.20 build of this class forwards the older {@code createSerializer(ExecutionConfig)}.
 */
@Internal
public abstract class TypeInformationBridge<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;
}
