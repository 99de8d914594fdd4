package io.exactlyonce.delta.sink.flink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Base for the sink's Flink serializers: each delegates to a plain-Java versioned codec (see the
 * {@code *Codec} classes in the core package), so the byte format and its version handling live in
 * one place and Flink never falls back to Kryo or Java serialization for the sink's types.
 */
@Internal
abstract class CodecSerializer<T> extends TypeSerializerSingleton<T> {

    private static final long serialVersionUID = 1L;

    abstract void write(T value, DataOutputView target) throws IOException;

    abstract T read(DataInputView source) throws IOException;

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        write(record, target);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        return read(source);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return read(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        write(read(source), target);
    }
}
