package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.testutil.TestRows;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.operators.StreamSink;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import java.util.List;
import java.util.function.Consumer;

/** Drives the {@code TwoPhaseCommitSinkFunction} adapter (Flink 1.20 only): one operator. */
final class SinkFunctionDriver extends CommitterDriver {
    private final OneInputStreamOperatorTestHarness<CommitterInput, Object> h;

    SinkFunctionDriver(DeltaSinkConfig config, Consumer<Configuration> jobConfig) throws Exception {
        h = new OneInputStreamOperatorTestHarness<>(
                new StreamSink<>(new DeltaCommitSink(TestRows.ROW_TYPE, config)),
                CommitterInputSerializer.INSTANCE);
        configure(h, jobConfig);
    }

    @Override
    void open() throws Exception {
        h.setup();
        h.open();
    }

    @Override
    void restore(Snapshot snapshot) throws Exception {
        h.setup();
        h.setRestoredCheckpointId(snapshot.checkpointId);
        h.initializeState(snapshot.states.get(0));
        h.open();
    }

    @Override
    void send(StagedFile file) throws Exception {
        h.processElement(CommitterInput.file(file), 0);
    }

    @Override
    void progress(String key, long position) throws Exception {
        h.processElement(CommitterInput.progress(key, position), 0);
    }

    @Override
    Snapshot snapshot(long id) throws Exception {
        return new Snapshot(id, List.of(h.snapshot(id, id)));
    }

    @Override
    void notifyOfCompletedCheckpoint(long id) throws Exception {
        h.notifyOfCompletedCheckpoint(id);
    }

    @Override
    void endInput() throws Exception {
        h.getOneInputOperator().finish();
    }

    @Override
    void crash() throws Exception {
        h.getOneInputOperator().close();
        h.getEnvironment().close();
    }

    @Override
    public void close() throws Exception {
        h.close();
    }
}
