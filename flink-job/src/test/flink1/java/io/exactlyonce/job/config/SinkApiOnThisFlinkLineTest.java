package io.exactlyonce.job.config;

import io.exactlyonce.delta.sink.DeltaSink;

import org.junit.jupiter.api.Test;

import static io.exactlyonce.job.config.JobConfigTest.args;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --sink-api} on Flink 1.20: both adapters exist, the SinkFunction one is the default. */
class SinkApiOnThisFlinkLineTest {

    @Test
    void withoutTheOptionTheJobKeepsTheSinkFunctionAdapter() {
        assertThat(JobConfig.fromArgs(args()).sinkApi()).isEqualTo(DeltaSink.Api.SINK_FUNCTION);
    }

    @Test
    void v1IsTheSinkFunctionAdapter() {
        assertThat(JobConfig.fromArgs(args("--sink-api", "v1")).sinkApi()).isEqualTo(DeltaSink.Api.SINK_FUNCTION);
    }
}
