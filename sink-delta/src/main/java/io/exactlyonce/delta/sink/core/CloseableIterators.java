package io.exactlyonce.delta.sink.core;

import io.delta.kernel.utils.CloseableIterator;

import java.util.Iterator;

/** Adapts plain in-memory iterators to Kernel's {@link CloseableIterator} (closing is a no-op). */
public final class CloseableIterators {

    private CloseableIterators() {}

    public static <T> CloseableIterator<T> of(Iterator<T> iterator) {
        return new CloseableIterator<T>() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public T next() {
                return iterator.next();
            }

            @Override
            public void close() {}
        };
    }
}
