package io.exactlyonce.delta.sink.flink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import java.io.IOException;

/**
 * The writer factory methods of Flink 1.20's {@code Sink} interface, which still declares the
 * deprecated {@code createWriter(InitContext)} next to {@code createWriter(WriterInitContext)}
 * (Flink 2 has only the second). Both lead to {@link #createWriter(int, SinkWriterMetricGroup)},
 * so the sink's own code does not name either context type.
 */
@Internal
abstract class SinkV2Bridge<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /** The writer of parallel subtask {@code subtask}. */
    abstract SinkWriter<T> createWriter(int subtask, SinkWriterMetricGroup metrics) throws IOException;

    @Override
    public final SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return createWriter(context.getTaskInfo().getIndexOfThisSubtask(), context.metricGroup());
    }

    @Override
    @Deprecated
    public final SinkWriter<T> createWriter(InitContext context) throws IOException {
        return createWriter(context.getTaskInfo().getIndexOfThisSubtask(), context.metricGroup());
    }
}
