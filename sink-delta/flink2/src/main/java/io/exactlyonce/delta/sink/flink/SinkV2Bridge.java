package io.exactlyonce.delta.sink.flink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import java.io.IOException;

/**
 * The writer factory method of Flink 2's {@code Sink} interface ({@code
 * createWriter(WriterInitContext)}; Flink 1.20 also declares a deprecated variant, which the 1.20
 * build of this class forwards). It leads to {@link #createWriter(int, SinkWriterMetricGroup)}, so
 * the sink's own code does not name the context type.
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
}
