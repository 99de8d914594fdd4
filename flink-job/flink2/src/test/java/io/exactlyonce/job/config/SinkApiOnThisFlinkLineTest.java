package io.exactlyonce.job.config;

import io.exactlyonce.delta.sink.DeltaSink;

import org.junit.jupiter.api.Test;

import static io.exactlyonce.job.config.JobConfigTest.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --sink-api} on Flink 2: the Sink V2 adapter is the default, and v1 (Flink 2 has no
 * SinkFunction) fails at start naming the option and the fix.
 */
class SinkApiOnThisFlinkLineTest {

    @Test
    void withoutTheOptionTheJobUsesTheSinkV2Adapter() {
        assertThat(JobConfig.fromArgs(args()).sinkApi()).isEqualTo(DeltaSink.Api.SINK_V2);
    }

    @Test
    void v1IsRefusedNamingTheOptionAndTheFix() {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--sink-api", "v1")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--sink-api'")
                .hasMessageContaining("Flink 2.x")
                .hasMessageContaining("use v2");
    }
}
