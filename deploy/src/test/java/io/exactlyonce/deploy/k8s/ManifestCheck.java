package io.exactlyonce.deploy.k8s;

import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The rules a {@link FlinkDeployment} of the job must follow to run exactly once in production,
 * checked on the operator's own model of it: savepoint upgrades; checkpoints, savepoints and HA
 * metadata on S3; RocksDB with incremental checkpoints; Kubernetes HA; a Prometheus reporter;
 * resources; the image's job jar; job arguments the job itself accepts, with the checkpoint directory
 * the cluster's; a Delta log store safe for concurrent writers on S3; Kafka secrets only through a
 * config provider. Each broken rule is one line of {@link #problems()}.
 */
final class ManifestCheck {

    static final String JAR_IN_IMAGE = "/opt/flink/usrlib/orders-to-delta.jar";
    static final String KAFKA_PROPERTIES_IN_POD = "/opt/flink/kafka/client.properties";

    private final FlinkDeployment deployment;
    private final Properties kafkaClient;
    private final String dockerfile;
    private final Path tmp;
    private final List<String> problems = new ArrayList<>();

    ManifestCheck(FlinkDeployment deployment, Properties kafkaClient, String dockerfile, Path tmp) {
        this.deployment = deployment;
        this.kafkaClient = kafkaClient;
        this.dockerfile = dockerfile;
        this.tmp = tmp;
    }

    List<String> problems() {
        FlinkDeploymentSpec spec = deployment.getSpec();
        Map<String, String> conf = spec.getFlinkConfiguration();
        JobSpec job = spec.getJob();
        require(spec.getFlinkVersion() == FlinkVersion.v1_20, "flinkVersion must be v1_20, is " + spec.getFlinkVersion());
        require(job.getUpgradeMode() == UpgradeMode.SAVEPOINT, "job.upgradeMode must be savepoint, is " + job.getUpgradeMode());
        require(!Boolean.TRUE.equals(job.getAllowNonRestoredState()), "job.allowNonRestoredState must not be true (state would be dropped)");
        for (String key : List.of("state.checkpoints.dir", "state.savepoints.dir", "high-availability.storageDir")) {
            require(String.valueOf(conf.get(key)).startsWith("s3://"), key + " must be on s3://, is " + conf.get(key));
        }
        require("kubernetes".equals(conf.get("high-availability.type")), "high-availability.type must be kubernetes");
        require("rocksdb".equals(conf.get("state.backend.type")), "state.backend.type must be rocksdb");
        require("true".equals(conf.get("state.backend.incremental")), "state.backend.incremental must be true");
        require(conf.entrySet().stream().anyMatch(e -> e.getKey().matches("metrics\\.reporter\\.[^.]+\\.factory\\.class")
                        && e.getValue().equals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory")),
                "a Prometheus metrics reporter (metrics.reporter.<name>.factory.class) must be configured");
        require(spec.getJobManager().getResource().getMemory() != null && spec.getJobManager().getResource().getCpu() != null
                        && spec.getTaskManager().getResource().getMemory() != null
                        && spec.getTaskManager().getResource().getCpu() != null,
                "jobManager and taskManager must request memory and cpu");
        require(("local://" + JAR_IN_IMAGE).equals(job.getJarURI()), "job.jarURI must be local://" + JAR_IN_IMAGE);
        require(dockerfile.lines().anyMatch(l -> l.startsWith("COPY") && l.contains("-job.jar") && l.endsWith(" " + JAR_IN_IMAGE)),
                "the Dockerfile must copy the job jar to " + JAR_IN_IMAGE);
        require("io.exactlyonce.job.OrdersJob".equals(job.getEntryClass()), "job.entryClass must be io.exactlyonce.job.OrdersJob");
        checkParallelism(job, conf, spec);
        checkJobArguments(job, conf);
        checkKafkaSecrets();
        return problems;
    }

    private void checkParallelism(JobSpec job, Map<String, String> conf, FlinkDeploymentSpec spec) {
        int slots = Integer.parseInt(conf.getOrDefault("taskmanager.numberOfTaskSlots", "1"));
        Integer replicas = spec.getTaskManager().getReplicas();
        require(job.getParallelism() > 0 && replicas != null && job.getParallelism() <= replicas * slots,
                "job.parallelism " + job.getParallelism() + " must be positive and fit " + replicas + " TaskManagers x "
                        + slots + " slots");
    }

    private void checkJobArguments(JobSpec job, Map<String, String> conf) {
        JobConfig config;
        try {
            config = JobConfig.fromArgs(localArgs(job.getArgs()));
        } catch (IllegalArgumentException e) {
            problems.add("job.args are refused by the job: " + e.getMessage());
            return;
        }
        require(config.checkpointDir().equals(conf.get("state.checkpoints.dir")),
                "--checkpoint-dir " + config.checkpointDir() + " must be state.checkpoints.dir "
                        + conf.get("state.checkpoints.dir") + " (the job's setting wins over the cluster's)");
        if (config.tablePath().startsWith("s3a://") || config.tablePath().startsWith("s3://")) {
            String scheme = config.tablePath().substring(0, config.tablePath().indexOf(':'));
            Map<String, String> tableConf = config.tableConf();
            require("io.delta.storage.S3DynamoDBLogStore".equals(tableConf.get("io.delta.kernel.logStore." + scheme + ".impl")),
                    "tables on " + scheme + ":// need --table-conf io.delta.kernel.logStore." + scheme
                            + ".impl=io.delta.storage.S3DynamoDBLogStore (Kernel's default S3 log store is single-writer)");
            require(tableConf.containsKey("io.delta.storage.S3DynamoDBLogStore.ddb.tableName"),
                    "the DynamoDB log store needs --table-conf io.delta.storage.S3DynamoDBLogStore.ddb.tableName=<table>");
        }
    }

    /** The arguments with the pod's Kafka properties file replaced by a local copy of the ConfigMap's. */
    private String[] localArgs(String[] args) {
        String[] local = Arrays.copyOf(args, args.length);
        for (int i = 0; i < local.length; i++) {
            if (Objects.equals(local[i], KAFKA_PROPERTIES_IN_POD)) {
                try {
                    Path file = tmp.resolve("client.properties");
                    try (var out = Files.newOutputStream(file)) {
                        kafkaClient.store(out, null);
                    }
                    local[i] = file.toString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return local;
    }

    private void checkKafkaSecrets() {
        for (String key : kafkaClient.stringPropertyNames()) {
            String value = kafkaClient.getProperty(key);
            boolean secret = key.contains("password") || key.equals("sasl.jaas.config");
            require(!secret || value.matches("\\$\\{[^}]+}"),
                    "Kafka property " + key + " must come from a config provider (${provider:path:key}), not be written out");
        }
    }

    private void require(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }
}
