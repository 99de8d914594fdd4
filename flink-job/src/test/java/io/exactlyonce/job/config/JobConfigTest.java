package io.exactlyonce.job.config;

import io.exactlyonce.delta.sink.DeltaSink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests for {@link JobConfig}. */
class JobConfigTest {

    private static final String[] REQUIRED = {
        "--bootstrap-servers", "localhost:9092",
        "--topics", "orders",
        "--table-path", "/data/orders",
    };

    @TempDir Path tmp;

    /** The required options followed by {@code extra}. */
    static String[] args(String... extra) {
        List<String> all = new ArrayList<>(Arrays.asList(REQUIRED));
        all.addAll(Arrays.asList(extra));
        return all.toArray(new String[0]);
    }

    /** The required options without the one named {@code key}. */
    private static String[] requiredWithout(String key) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < REQUIRED.length; i += 2) {
            if (!REQUIRED[i].equals("--" + key)) {
                all.add(REQUIRED[i]);
                all.add(REQUIRED[i + 1]);
            }
        }
        return all.toArray(new String[0]);
    }

    private static void assertInvalid(String option, String... args) {
        assertThatThrownBy(() -> JobConfig.fromArgs(args))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--" + option + "'");
    }

    private Path writeProperties(String name, String... lines) throws IOException {
        Path file = tmp.resolve(name);
        Files.write(file, Arrays.asList(lines), StandardCharsets.ISO_8859_1);
        return file;
    }

    // ---------------------------------------------------------------- required and unknown options

    @ParameterizedTest
    @ValueSource(strings = {"bootstrap-servers", "topics", "table-path"})
    void missingRequiredOptionFails(String key) {
        assertThatThrownBy(() -> JobConfig.fromArgs(requiredWithout(key)))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--" + key + "'")
                .hasMessageContaining("is required");
    }

    @Test
    void blankRequiredOptionFails() {
        assertInvalid("topics", "--bootstrap-servers", "localhost:9092", "--topics", "  ", "--table-path", "/t");
        assertInvalid("topics", "--bootstrap-servers", "localhost:9092", "--topics", " , ", "--table-path", "/t");
    }

    @Test
    void unknownOptionFailsNamingIt() {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--tabel-path", "/x")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--tabel-path'")
                .hasMessageContaining("unknown option");
    }

    @Test
    void theJobHasNoTestingOptions() {
        // failure injection is inserted by tests and the demo, never switched on in a shipped job
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--fail-after-records", "10")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--fail-after-records'")
                .hasMessageContaining("unknown option");
    }

    // ---------------------------------------------------------------- defaults

    @Test
    void defaults() {
        JobConfig config = JobConfig.fromArgs(REQUIRED);

        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.topics()).containsExactly("orders");
        assertThat(config.tablePath()).isEqualTo("/data/orders");
        assertThat(config.checkpointIntervalMs()).isEqualTo(10_000L);
        assertThat(config.dedupTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(config.startingOffsets()).isEqualTo("table");
        assertThat(config.bounded()).isFalse();
        assertThat(config.rocksDb()).isTrue();
        assertThat(config.deadLetterPath()).isEqualTo("/data/orders_dead_letters");
        assertThat(config.metricsPath()).isEqualTo("/data/orders_metrics");
        assertThat(config.groupId()).isEqualTo("orders-to-delta");
        assertThat(config.maxRecordBytes()).isEqualTo(1_048_576);
        assertThat(config.parallelism()).isZero();
        assertThat(config.targetFileSizeBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(config.restartAttempts()).isEqualTo(10);
        assertThat(config.uidPrefix()).isEqualTo("orders");
        assertThat(config.allowRewind()).isFalse();
        assertThat(config.kafkaProperties()).isEmpty();
        assertThat(config.acceptLostKafkaRecords()).isFalse();
        assertThat(config.acceptCommittedOffsetsGap()).isFalse();
    }

    @Test
    void derivedPathsIgnoreTrailingSlashOfTablePath() {
        JobConfig config =
                JobConfig.fromArgs("--bootstrap-servers", "b:9092", "--topics", "t", "--table-path", "s3a://bucket/orders/");

        assertThat(config.deadLetterPath()).isEqualTo("s3a://bucket/orders_dead_letters");
        assertThat(config.metricsPath()).isEqualTo("s3a://bucket/orders_metrics");
    }

    @Test
    void explicitValuesAreUsed() {
        JobConfig config =
                JobConfig.fromArgs(
                        args(
                                "--topics", " a, b ,,c ",
                                "--dead-letter-path", "/dl",
                                "--metrics-path", "/m",
                                "--checkpoint-interval-ms", "2500",
                                "--dedup-ttl-days", "3",
                                "--bounded", "TRUE",
                                "--state-backend", "HashMap",
                                "--starting-offsets", "earliest"));

        assertThat(config.topics()).containsExactly("a", "b", "c");
        assertThat(config.deadLetterPath()).isEqualTo("/dl");
        assertThat(config.metricsPath()).isEqualTo("/m");
        assertThat(config.checkpointIntervalMs()).isEqualTo(2500L);
        assertThat(config.dedupTtl()).isEqualTo(Duration.ofDays(3));
        assertThat(config.bounded()).isTrue();
        assertThat(config.rocksDb()).isFalse();
        assertThat(config.startingOffsets()).isEqualTo("earliest");
    }

    // ---------------------------------------------------------------- invalid values

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "abc"})
    void invalidCheckpointIntervalFails(String value) {
        assertInvalid("checkpoint-interval-ms", args("--checkpoint-interval-ms", value));
    }

    @Test
    void nonBooleanBoundedFails() {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--bounded", "yes")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--bounded'")
                .hasMessageContaining("must be true or false, was 'yes'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"timestamp:abc", "beginning", "timestamp:"})
    void invalidStartingOffsetsFails(String value) {
        assertInvalid("starting-offsets", args("--starting-offsets", value));
    }

    @Test
    void unknownStateBackendFails() {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--state-backend", "memory")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--state-backend'")
                .hasMessageContaining("memory");
    }

    @Test
    void sinkApiChoosesTheSinkAdapterAndRefusesOthers() {
        // the default and v1 differ per Flink line: SinkApiOnThisFlinkLineTest
        assertThat(JobConfig.fromArgs(args("--sink-api", "v2")).sinkApi()).isEqualTo(DeltaSink.Api.SINK_V2);
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--sink-api", "v3")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--sink-api'")
                .hasMessageContaining("v1 or v2");
    }

    @Test
    void zeroDedupTtlFails() {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--dedup-ttl-days", "0")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--dedup-ttl-days'")
                .hasMessageContaining("must be positive");
    }

    @Test
    void timestampStartingOffsetsParses() {
        JobConfig config = JobConfig.fromArgs(args("--starting-offsets", "timestamp:1700000000000"));

        assertThat(config.startingOffsets()).isEqualTo("timestamp:1700000000000");
        assertThat(config.startingTimestampMs()).isEqualTo(1_700_000_000_000L);
    }

    // ---------------------------------------------------------------- files

    @Test
    void configFileIsReadAndArgumentsOverrideIt() throws IOException {
        Path file =
                writeProperties(
                        "job.properties",
                        "# job settings",
                        "bootstrap-servers=file-broker:9092",
                        "topics=file-topic",
                        "table-path=/file/orders",
                        "checkpoint-interval-ms=5000",
                        "group-id=from-file");

        JobConfig fromFile = JobConfig.fromArgs("--config", file.toString());
        assertThat(fromFile.bootstrapServers()).isEqualTo("file-broker:9092");
        assertThat(fromFile.topics()).containsExactly("file-topic");
        assertThat(fromFile.tablePath()).isEqualTo("/file/orders");
        assertThat(fromFile.checkpointIntervalMs()).isEqualTo(5000L);
        assertThat(fromFile.groupId()).isEqualTo("from-file");

        JobConfig overridden =
                JobConfig.fromArgs("--checkpoint-interval-ms", "7000", "--config", file.toString(), "--topics", "cli-topic");
        assertThat(overridden.checkpointIntervalMs()).isEqualTo(7000L);
        assertThat(overridden.topics()).containsExactly("cli-topic");
        assertThat(overridden.bootstrapServers()).isEqualTo("file-broker:9092");
        assertThat(overridden.groupId()).isEqualTo("from-file");
    }

    @Test
    void unknownOptionInConfigFileFails() throws IOException {
        Path file = writeProperties("job.properties", "tabel-path=/x");

        assertInvalid("tabel-path", args("--config", file.toString()));
    }

    @Test
    void missingConfigFileFails() {
        Path missing = tmp.resolve("does-not-exist.properties");

        assertThatThrownBy(() -> JobConfig.fromArgs(args("--config", missing.toString())))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--config'")
                .hasMessageContaining("does-not-exist.properties");
    }

    @Test
    void kafkaPropertiesFileIsLoaded() throws IOException {
        Path file =
                writeProperties(
                        "kafka.properties",
                        "security.protocol=SASL_SSL",
                        "sasl.mechanism=PLAIN");

        JobConfig config = JobConfig.fromArgs(args("--kafka-properties-file", file.toString()));
        Properties props = config.kafkaProperties();

        assertThat(props).hasSize(2);
        assertThat(props.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(props.getProperty("sasl.mechanism")).isEqualTo("PLAIN");
    }

    @Test
    void consumerPropertiesReadCommittedWithTheOptionsServersAndGroup() throws IOException {
        Path file = writeProperties("kafka.properties", "security.protocol=SASL_SSL");

        Properties props =
                JobConfig.fromArgs(args("--kafka-properties-file", file.toString(), "--group-id", "g1"))
                        .kafkaConsumerProperties();

        assertThat(props.getProperty("isolation.level")).isEqualTo("read_committed");
        assertThat(props.getProperty("bootstrap.servers")).isEqualTo("localhost:9092");
        assertThat(props.getProperty("group.id")).isEqualTo("g1");
        assertThat(props.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(JobConfig.fromArgs(REQUIRED).kafkaConsumerProperties().getProperty("isolation.level"))
                .isEqualTo("read_committed");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "bootstrap.servers=other:9092|'--bootstrap-servers'|bootstrap.servers=localhost:9092",
        "group.id=someone-else|'--group-id'|group.id=orders-to-delta",
        "isolation.level=read_uncommitted|isolation.level=read_committed|aborted Kafka transactions",
        "auto.offset.reset=earliest|auto.offset.reset=none|'--accept-lost-kafka-records'",
    })
    void kafkaPropertiesFileMustNotOverrideTheJobsSettings(String testCase) throws IOException {
        String[] parts = testCase.split("\\|");
        Path file = writeProperties("kafka.properties", "security.protocol=SSL", parts[0]);

        assertThatThrownBy(() -> JobConfig.fromArgs(args("--kafka-properties-file", file.toString())))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--kafka-properties-file'")
                .hasMessageContaining(parts[0])
                .hasMessageContaining(parts[1])
                .hasMessageContaining(parts[2]);
    }

    @Test
    void kafkaPropertiesFileMayRepeatTheJobsSettings() throws IOException {
        Path file =
                writeProperties(
                        "kafka.properties",
                        "bootstrap.servers=localhost:9092",
                        "group.id=orders-to-delta",
                        "isolation.level=READ_COMMITTED");

        assertThat(JobConfig.fromArgs(args("--kafka-properties-file", file.toString())).kafkaConsumerProperties())
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("group.id", "orders-to-delta")
                .containsEntry("isolation.level", "read_committed");
    }

    @Test
    void acceptOptionsAreBooleans() {
        assertThat(JobConfig.fromArgs(args("--accept-lost-kafka-records", "true")).acceptLostKafkaRecords()).isTrue();
        assertThat(JobConfig.fromArgs(args("--accept-committed-offsets-gap", "true")).acceptCommittedOffsetsGap())
                .isTrue();
        assertInvalid("accept-lost-kafka-records", args("--accept-lost-kafka-records", "yes"));
        assertInvalid("accept-committed-offsets-gap", args("--accept-committed-offsets-gap", "1"));
    }

    @Test
    void restoreFromIsOptional() {
        assertThat(JobConfig.fromArgs(REQUIRED).restoreFrom()).isEmpty();
        assertThat(JobConfig.fromArgs(args("--restore-from", "file:///cp/chk-7")).restoreFrom())
                .contains("file:///cp/chk-7");
    }

    @Test
    void autoResumeIsOnByDefaultAndABoolean() {
        assertThat(JobConfig.fromArgs(REQUIRED).autoResume()).isTrue();
        assertThat(JobConfig.fromArgs(args("--auto-resume", "false")).autoResume()).isFalse();
        assertInvalid("auto-resume", args("--auto-resume", "no"));
    }

    @Test
    void missingKafkaPropertiesFileFails() {
        assertInvalid("kafka-properties-file", args("--kafka-properties-file", tmp.resolve("nope").toString()));
    }

    // ---------------------------------------------------------------- table paths

    @Test
    void sameTableAndDeadLetterPathIsRefused() {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--dead-letter-path", "/data/orders")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--dead-letter-path'")
                .hasMessageContaining("three different tables");
    }

    @Test
    void sameTableAndMetricsPathIsRefused() {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--metrics-path", "/data/orders")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("three different tables");
    }

    // ---------------------------------------------------------------- argument syntax

    @Test
    void danglingOptionWithoutValueFails() {
        assertThatThrownBy(() -> JobConfig.fromArgs("--bootstrap-servers", "b:9092", "--table-path", "/t", "--topics"))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--topics'")
                .hasMessageContaining("has no value");
    }

    @Test
    void bareWordFails() {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("orders")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unexpected argument 'orders'");
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unexpected argument '--'");
    }

    // ---------------------------------------------------------------- usage and copies

    @Test
    void usageListsEveryOption() {
        String usage = JobConfig.usage();

        assertThat(JobConfig.OPTIONS).isNotEmpty();
        for (JobOption option : JobConfig.OPTIONS) {
            assertThat(usage).contains("--" + option.key());
        }
        assertThat(usage).contains("--config");
    }

    @Test
    void withReplacesAndRevalidates() {
        JobConfig config = JobConfig.fromArgs(REQUIRED);

        assertThat(config.with("bounded", "true").bounded()).isTrue();
        assertThat(config.bounded()).isFalse();
        assertThatThrownBy(() -> config.with("bounded", "maybe"))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'--bounded'");
    }

    @Test
    void skipCheckpointsOnRestoreListsPositiveIds() {
        assertThat(JobConfig.fromArgs(REQUIRED).skipCheckpointsOnRestore()).isEmpty();
        assertThat(JobConfig.fromArgs(args("--skip-checkpoints-on-restore", "12, 7")).skipCheckpointsOnRestore())
                .containsExactly(7L, 12L);
        assertInvalid("skip-checkpoints-on-restore", args("--skip-checkpoints-on-restore", "12,x"));
        assertInvalid("skip-checkpoints-on-restore", args("--skip-checkpoints-on-restore", "0"));
    }

    @Test
    void tableConfIsRepeatableAndKeepsEveryKeyValuePair() {
        JobConfig config = JobConfig.fromArgs(args(
                "--table-conf", "fs.s3a.endpoint=http://minio:9000",
                "--table-conf", "io.delta.kernel.logStore.s3a.impl=io.delta.storage.S3DynamoDBLogStore",
                "--table-conf", "fs.s3a.aws.credentials.provider=a.B,c.D"));
        assertThat(config.tableConf()).containsExactly(
                java.util.Map.entry("fs.s3a.endpoint", "http://minio:9000"),
                java.util.Map.entry("io.delta.kernel.logStore.s3a.impl", "io.delta.storage.S3DynamoDBLogStore"),
                java.util.Map.entry("fs.s3a.aws.credentials.provider", "a.B,c.D"));
        assertThat(JobConfig.fromArgs(REQUIRED).tableConf()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs.s3a.endpoint", "=value", " =value"})
    void tableConfWithoutKeyOrValueSeparatorIsRefused(String entry) {
        assertInvalid("table-conf", args("--table-conf", "a=b", "--table-conf", entry));
    }
}
