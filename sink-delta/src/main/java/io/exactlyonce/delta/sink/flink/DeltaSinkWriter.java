package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.StagedFile;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The parallel writer of the Sink V2 Delta sink: writes rows through the shared {@link
 * StagingWriter} and, when Flink asks for the committables of a checkpoint or of the end of input
 * ({@link #prepareCommit}), closes its files and hands them on as {@link CommitterInput}s to the
 * single {@link DeltaTransactionSealer}. Stateless, like the {@code SinkFunction} sink's writer:
 * files written after the last barrier are orphans after a failure and re-produced from the source.
 */
@Internal
final class DeltaSinkWriter implements CommittingSinkWriter<RowData, CommitterInput> {

    private final StagingWriter writer;

    DeltaSinkWriter(RowType rowType, DeltaSinkConfig config, int subtask, MetricGroup metrics) {
        this.writer = new StagingWriter(rowType, config, subtask, metrics);
    }

    @Override
    public void write(RowData row, Context context) throws IOException {
        try {
            writer.write(row);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Nothing to do: files are closed in {@link #prepareCommit}, which follows every flush. */
    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public Collection<CommitterInput> prepareCommit() throws IOException {
        List<StagedFile> files;
        try {
            files = writer.stage();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        List<CommitterInput> out = new ArrayList<>(files.size());
        for (StagedFile file : files) {
            out.add(CommitterInput.file(file));
        }
        return out;
    }

    @Override
    public void close() {
        writer.close();
    }
}
