package io.exactlyonce.delta.sink.flink;

/**
 * The commit protocol's tests against the Sink V2 adapter: {@link DeltaTransactionSealer} feeding
 * Flink's committer operator with {@link DeltaTransactionCommitter}.
 */
class DeltaSinkV2CommitTest extends AbstractCommitProtocolTest {
    @Override
    CommitterDriver.Adapter adapter() {
        return CommitterDriver.Adapter.SINK_V2;
    }
}
