package io.exactlyonce.tools;

import io.exactlyonce.deploy.kit.FailOnceMapper;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The tools' list of the job's uids is the job's: every uid of the real graph is known, and no other. */
class JobUidsTest {

    @TempDir Path tmp;

    @Test
    void knowsEveryUidOfTheJobGraph() {
        JobConfig config = JobConfig.fromMap(Map.of(
                "bootstrap-servers", "localhost:9092", "topics", "t", "uid-prefix", "shop",
                "table-path", tmp.resolve("orders").toUri().toString()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // with the failure injection of tests and the demo: its uid is known too
        OrdersPipeline.buildWithMapAfterSource(env, config, new FailOnceMapper<>(10), sink -> {});
        Set<String> graphUids = new HashSet<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            if (node.getTransformationUID() != null) {
                graphUids.add(node.getTransformationUID());
            }
        }
        assertThat(new HashSet<>(new JobUids("shop").byOperatorId().values())).isEqualTo(graphUids);
    }
}
