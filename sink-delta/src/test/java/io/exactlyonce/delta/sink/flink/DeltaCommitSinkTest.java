package io.exactlyonce.delta.sink.flink;

/** The commit protocol's tests against the {@code TwoPhaseCommitSinkFunction} adapter, {@link DeltaCommitSink}. */
class DeltaCommitSinkTest extends AbstractCommitProtocolTest {
    @Override
    CommitterDriver.Adapter adapter() {
        return CommitterDriver.Adapter.SINK_FUNCTION;
    }
}
