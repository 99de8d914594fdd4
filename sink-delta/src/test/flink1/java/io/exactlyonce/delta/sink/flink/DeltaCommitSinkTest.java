package io.exactlyonce.delta.sink.flink;

import io.exactlyonce.delta.sink.core.DeltaSinkConfig;
import io.exactlyonce.delta.sink.testutil.StagedFiles;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The commit protocol's tests against the {@code TwoPhaseCommitSinkFunction} adapter, {@link
 * DeltaCommitSink}, plus its own end-of-input case: files that reach its open transaction after
 * the last checkpoint (the Sink V2 adapter seals them at end of input instead).
 */
class DeltaCommitSinkTest extends AbstractCommitProtocolTest {
    @Override
    CommitterDriver driver(DeltaSinkConfig config, Consumer<Configuration> jobConfig) throws Exception {
        return new SinkFunctionDriver(config, jobConfig);
    }

    @Test
    void filesLeftInTheOpenTransactionAtEndOfInputFailLoudly() throws Exception {
        CommitterDriver h = open(false);
        h.send(StagedFiles.write(table, 0, 10));
        h.endInput();
        // no final checkpoint follows: closing must not quietly drop (or delete) the files
        assertThatThrownBy(h::close).hasStackTraceContaining("potentially been lost");
    }
}
