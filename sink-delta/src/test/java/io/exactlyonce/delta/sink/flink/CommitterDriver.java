package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.CommitterInput;
import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.core.DeltaTransaction;
import io.exactlyonce.delta.sink.core.StagedFile;
import io.exactlyonce.delta.sink.testutil.TestRows;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import java.util.List;
import java.util.function.Consumer;

/**
 * Drives the committing side of one of the sink's Flink adapters through Flink's operator test
 * harnesses, so that the same protocol tests run against both: files and source positions in,
 * checkpoints, completion notifications, crashes and restores.
 */
abstract class CommitterDriver implements AutoCloseable {

    /** The committing side's state at a checkpoint, with the checkpoint id. */
    static final class Snapshot {
        final long checkpointId;
        final List<OperatorSubtaskState> states;

        Snapshot(long checkpointId, List<OperatorSubtaskState> states) {
            this.checkpointId = checkpointId;
            this.states = states;
        }
    }

    abstract void open() throws Exception;

    abstract void restore(Snapshot snapshot) throws Exception;

    abstract void send(StagedFile file) throws Exception;

    abstract void progress(String key, long position) throws Exception;

    /** Takes checkpoint {@code id}: barrier, then state. */
    abstract Snapshot snapshot(long id) throws Exception;

    abstract void notifyOfCompletedCheckpoint(long id) throws Exception;

    /** End of input reached the committing side. */
    abstract void endInput() throws Exception;

    /** Tears the operators down as a task failure does: no finish, just close. */
    abstract void crash() throws Exception;

    void send(List<StagedFile> files) throws Exception {
        for (StagedFile file : files) {
            send(file);
        }
    }

    static <T> OneInputStreamOperatorTestHarness<T, ?> configure(
            OneInputStreamOperatorTestHarness<T, ?> h, Consumer<Configuration> jobConfig) {
        FlinkLineHarness.enableCheckpointing(h);
        jobConfig.accept(h.getEnvironment().getJobConfiguration());
        return h;
    }

    /** The Sink V2 adapter: the sealer (pre-commit topology) feeding Flink's committer operator. */
    static final class SinkV2Driver extends CommitterDriver {
        private final OneInputStreamOperatorTestHarness<CommittableMessage<CommitterInput>, CommittableMessage<DeltaTransaction>> sealer;
        private final OneInputStreamOperatorTestHarness<CommittableMessage<DeltaTransaction>, CommittableMessage<DeltaTransaction>> committer;

        SinkV2Driver(DeltaSinkConfig config, Consumer<Configuration> jobConfig) throws Exception {
            DeltaSinkV2 sink = new DeltaSinkV2(TestRows.ROW_TYPE, config, "test", null);
            sealer = new OneInputStreamOperatorTestHarness<>(new DeltaTransactionSealer(TestRows.ROW_TYPE, config));
            committer = new OneInputStreamOperatorTestHarness<>(new CommitterOperatorFactory<>(sink, false, true));
            configure(sealer, jobConfig);
            configure(committer, jobConfig);
        }

        /** Records leave the sealer in the sink's own committable format, never through Kryo. */
        private static TypeSerializer<CommittableMessage<DeltaTransaction>> sealedSerializer() {
            return CommittableMessageTypeInfo.of(DeltaSinkV2::committableSerializer)
                    .createSerializer(new SerializerConfigImpl());
        }

        @Override
        void open() throws Exception {
            sealer.setup(sealedSerializer());
            sealer.open();
            committer.setup(sealedSerializer());
            committer.open();
        }

        @Override
        void restore(Snapshot snapshot) throws Exception {
            // the committer first: Flink may initialize the two tasks in either order
            committer.setup(sealedSerializer());
            committer.setRestoredCheckpointId(snapshot.checkpointId);
            committer.initializeState(snapshot.states.get(1));
            committer.open();
            sealer.setup(sealedSerializer());
            sealer.setRestoredCheckpointId(snapshot.checkpointId);
            sealer.initializeState(snapshot.states.get(0));
            sealer.open();
        }

        @Override
        void send(StagedFile file) throws Exception {
            sealer.processElement(new CommittableWithLineage<>(CommitterInput.file(file), 0L, 0), 0);
        }

        @Override
        void progress(String key, long position) throws Exception {
            sealer.processElement(new CommittableWithLineage<>(CommitterInput.progress(key, position), 0L, 0), 0);
        }

        @Override
        Snapshot snapshot(long id) throws Exception {
            sealer.prepareSnapshotPreBarrier(id);
            forwardSealed();
            OperatorSubtaskState sealerState = sealer.snapshot(id, id);
            committer.prepareSnapshotPreBarrier(id);
            return new Snapshot(id, List.of(sealerState, committer.snapshot(id, id)));
        }

        @SuppressWarnings("unchecked")
        private void forwardSealed() throws Exception {
            for (Object record : sealer.getOutput()) {
                if (record instanceof StreamRecord) {
                    committer.processElement((StreamRecord<CommittableMessage<DeltaTransaction>>) record);
                }
            }
            sealer.getOutput().clear();
        }

        @Override
        void notifyOfCompletedCheckpoint(long id) throws Exception {
            sealer.notifyOfCompletedCheckpoint(id);
            committer.notifyOfCompletedCheckpoint(id);
        }

        @Override
        void endInput() throws Exception {
            sealer.endInput();
        }

        @Override
        void crash() throws Exception {
            sealer.getOneInputOperator().close();
            sealer.getEnvironment().close();
            committer.getOneInputOperator().close();
            committer.getEnvironment().close();
        }

        @Override
        public void close() throws Exception {
            try {
                sealer.close();
            } finally {
                committer.close();
            }
        }
    }
}
