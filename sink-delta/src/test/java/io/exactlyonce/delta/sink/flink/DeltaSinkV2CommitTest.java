package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.DeltaSinkConfig;

import org.apache.flink.configuration.Configuration;

import java.util.function.Consumer;

/**
 * The commit protocol's tests against the Sink V2 adapter: {@link DeltaTransactionSealer} feeding
 * Flink's committer operator with {@link DeltaTransactionCommitter}.
 */
class DeltaSinkV2CommitTest extends AbstractCommitProtocolTest {
    @Override
    CommitterDriver driver(DeltaSinkConfig config, Consumer<Configuration> jobConfig) throws Exception {
        return new CommitterDriver.SinkV2Driver(config, jobConfig);
    }
}
