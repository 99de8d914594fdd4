package io.exactlyonce.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;

import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the Kubernetes manifests in {@code deploy/k8s/} and the image of {@code deploy/Dockerfile}:
 * loaded with the Flink Kubernetes Operator's own API classes and checked by {@link ManifestCheck};
 * each rule is shown to catch a manifest that breaks it.
 */
class K8sManifestTest {

    private static final Path DEPLOY = Path.of("").toAbsolutePath();

    @TempDir Path tmp;

    private static FlinkDeployment deployment() throws IOException {
        try (InputStream in = Files.newInputStream(DEPLOY.resolve("k8s/orders-to-delta.yaml"))) {
            return Serialization.unmarshal(in, FlinkDeployment.class);
        }
    }

    private static Properties kafkaClient() throws IOException {
        try (InputStream in = Files.newInputStream(DEPLOY.resolve("k8s/kafka-client.yaml"))) {
            ConfigMap map = Serialization.unmarshal(in, ConfigMap.class);
            Properties props = new Properties();
            props.load(new StringReader(map.getData().get("client.properties")));
            return props;
        }
    }

    private List<String> problems(FlinkDeployment deployment, Properties kafka) throws IOException {
        return new ManifestCheck(deployment, kafka, Files.readString(DEPLOY.resolve("Dockerfile")), tmp).problems();
    }

    private List<String> problemsAfter(Consumer<FlinkDeployment> change) throws IOException {
        FlinkDeployment deployment = deployment();
        change.accept(deployment);
        return problems(deployment, kafkaClient());
    }

    private static void replaceArg(FlinkDeployment d, String option, String value) {
        String[] args = d.getSpec().getJob().getArgs();
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(option)) {
                args[i + 1] = value;
            }
        }
    }

    private static void dropTableConf(FlinkDeployment d, String keyPrefix) {
        List<String> kept = new ArrayList<>();
        String[] args = d.getSpec().getJob().getArgs();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--table-conf") && args[i + 1].startsWith(keyPrefix)) {
                i++;
            } else {
                kept.add(args[i]);
            }
        }
        d.getSpec().getJob().setArgs(kept.toArray(new String[0]));
    }

    @Test
    void theManifestsFollowEveryRule() throws IOException {
        FlinkDeployment deployment = deployment();
        assertThat(deployment.getSpec().getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(deployment.getSpec().getJob().getParallelism()).isEqualTo(4);
        assertThat(deployment.getSpec().getJob().getArgs()).containsSequence("--table-path", "s3a://orders-lake/tables/orders");
        assertThat(problems(deployment, kafkaClient())).isEmpty();
    }

    @Test
    void aStatelessUpgradeModeIsCaught() throws IOException {
        assertThat(problemsAfter(d -> d.getSpec().getJob().setUpgradeMode(UpgradeMode.STATELESS)))
                .singleElement().asString().contains("upgradeMode must be savepoint");
    }

    @Test
    void checkpointsOffS3AndACheckpointDirOtherThanTheClustersAreCaught() throws IOException {
        assertThat(problemsAfter(d -> d.getSpec().getFlinkConfiguration().put("state.checkpoints.dir", "file:///tmp/cp")))
                .anyMatch(p -> p.contains("state.checkpoints.dir must be on s3://"))
                .anyMatch(p -> p.contains("--checkpoint-dir s3://orders-lake/flink/checkpoints must be state.checkpoints.dir"));
        assertThat(problemsAfter(d -> d.getSpec().getFlinkConfiguration().remove("state.savepoints.dir")))
                .singleElement().asString().contains("state.savepoints.dir must be on s3://");
    }

    @Test
    void missingRocksDbIncrementalHaOrPrometheusAreCaught() throws IOException {
        assertThat(problemsAfter(d -> d.getSpec().getFlinkConfiguration().put("state.backend.incremental", "false")))
                .singleElement().asString().contains("state.backend.incremental");
        assertThat(problemsAfter(d -> d.getSpec().getFlinkConfiguration().remove("high-availability.type")))
                .singleElement().asString().contains("high-availability.type");
        assertThat(problemsAfter(d -> d.getSpec().getFlinkConfiguration().remove("metrics.reporter.prom.factory.class")))
                .singleElement().asString().contains("Prometheus");
    }

    @Test
    void aJarOutsideTheImageOrATooLargeParallelismIsCaught() throws IOException {
        assertThat(problemsAfter(d -> d.getSpec().getJob().setJarURI("local:///opt/flink/usrlib/job.jar")))
                .singleElement().asString().contains("job.jarURI");
        assertThat(problemsAfter(d -> d.getSpec().getJob().setParallelism(5)))
                .singleElement().asString().contains("job.parallelism 5 must be positive and fit 2 TaskManagers x 2 slots");
    }

    @Test
    void argumentsTheJobRefusesAreCaught() throws IOException {
        assertThat(problemsAfter(d -> replaceArg(d, "--checkpoint-interval-ms", "soon")))
                .singleElement().asString().contains("job.args are refused by the job").contains("'--checkpoint-interval-ms'");
    }

    @Test
    void s3TablesWithoutTheConcurrentWriterLogStoreAreCaught() throws IOException {
        assertThat(problemsAfter(d -> dropTableConf(d, "io.delta.kernel.logStore.")))
                .singleElement().asString().contains("io.delta.kernel.logStore.s3a.impl=io.delta.storage.S3DynamoDBLogStore");
    }

    @Test
    void aKafkaSecretWrittenOutIsCaught() throws IOException {
        Properties kafka = kafkaClient();
        kafka.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"orders\" password=\"hunter2\";");
        assertThat(problems(deployment(), kafka)).singleElement().asString().contains("sasl.jaas.config");
    }
}
