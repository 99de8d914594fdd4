package io.exactlyonce.delta.sink;

import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The builder on Flink 2: the Sink V2 adapter is the default, and the {@code SinkFunction} one
 * (removed from Flink 2) is refused when it is chosen, naming the option, before any table is
 * touched.
 */
class FlinkTwoBuilderTest extends SinkBuilderFixture {

    @Test
    void theDefaultOnFlink2IsTheSinkV2() {
        DataStreamSink<?> sink = valid().verifyTableOnBuild(false).append(rows());

        assertThat(sink.getTransformation().getUid()).isEqualTo("orders-delta-sink");
        assertThat(node(env.getStreamGraph(false), "orders-delta-sink: orders-delta-sealer").getParallelism())
                .isEqualTo(1);
        assertNothingCreated();
    }

    @Test
    void theSinkFunctionApiIsRefusedNamingTheOptionAndTheFix() {
        assertThatThrownBy(() -> valid().api(DeltaSink.Api.SINK_FUNCTION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'api'")
                .hasMessageContaining("Flink 2.x")
                .hasMessageContaining("SINK_V2");
        assertNothingCreated();
    }

    @Test
    void theSinkFunctionApiIsRefusedFromConfigurationToo() {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.set(DeltaSinkOptions.API, DeltaSink.Api.SINK_FUNCTION);
        assertThatThrownBy(() -> valid().configure(conf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'api'");
        assertNothingCreated();
    }
}
