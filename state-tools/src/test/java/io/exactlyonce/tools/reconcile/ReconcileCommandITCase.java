package io.exactlyonce.tools.reconcile;

import io.exactlyonce.deploy.kit.OrderGenerator;
import io.exactlyonce.job.EmbeddedKafkaExtension;
import io.exactlyonce.job.config.JobConfig;
import io.exactlyonce.tools.Jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code state-tools reconcile} against a real broker and the tables of a real run of the job: the
 * report of a topic with duplicates, malformed records and an aborted Kafka transaction (whose
 * records the reconciliation does not count, as the job does not read them), as text and JSON; the
 * positions the tables recorded against the topic's end ({@code --positions}); exit 1 once the topic
 * holds orders the tables lack; exit 2 and the usage for a bad option.
 */
class ReconcileCommandITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir Path tmp;

    @Test
    void reportsTheTopicAgainstTheTablesAndTheirPositions() throws Exception {
        String topic = "reconciled";
        kafka.createTopic(topic, 3);
        // aborted first: the committed records after it move the tables' positions past it
        List<String> aborted = abortedTransaction(topic, "x-", 50);
        OrderGenerator.Produced produced =
                new OrderGenerator(11, 0.10, 0.02, 10_000).produce(kafka.bootstrapServers(), topic, 3, 1_200, "r-");
        Map<String, String> options = Jobs.options(kafka.bootstrapServers(), topic, tmp, "hashmap");
        options.put("bounded", "true");
        options.put("max-record-bytes", "10000");
        JobConfig config = JobConfig.fromMap(options);
        Jobs.submit(config, null, "reconciled").getJobExecutionResult().get();
        List<String> args = new ArrayList<>(List.of("reconcile", "--bootstrap-servers", kafka.bootstrapServers(),
                "--topics", topic, "--table-path", config.tablePath(), "--max-record-bytes", "10000"));

        Jobs.Result text = Jobs.tool(args.toArray(new String[0]));
        assertThat(text.exitCode()).as(text.out() + text.err()).isZero();
        assertThat(text.out())
                .containsPattern(String.format("records in Kafka\\s+%,d\\n", produced.records))
                .containsPattern(String.format("distinct order ids\\s+%,d\\n", produced.distinctIds.size()))
                .containsPattern(String.format("malformed in Kafka\\s+%,d\\n", produced.malformed.size()))
                .containsPattern(String.format("rows in the table\\s+%,d\\n", produced.distinctIds.size()))
                .containsPattern("missing\\s+0\\n")
                .containsPattern("duplicated\\s+0\\n")
                .contains("result                  EXACTLY ONCE\n")
                .contains("positions recorded in the tables (next offset to read) vs. the topic");
        assertThat(aborted).as("ids only in the aborted transaction").noneMatch(text.out()::contains);

        Jobs.Result json = Jobs.tool(with(args, "--json"));
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.get("kafka_records").asLong()).as("aborted records not counted").isEqualTo(produced.records);
        assertThat(report.get("distinct_ids").asLong()).isEqualTo(produced.distinctIds.size());
        assertThat(report.get("missing").asLong()).isZero();
        assertThat(report.get("duplicated").asLong()).isZero();
        assertThat(report.get("exactly_once").asBoolean()).isTrue();
        assertThat(json.out()).doesNotContain("positions recorded");

        // orders the job has not read: lag by the positions, and missing ids in the full report
        OrderGenerator.Produced later =
                new OrderGenerator(12, 0.0, 0.0, 10_000).produce(kafka.bootstrapServers(), topic, 3, 90, "later-");
        PositionsReport lagging = PositionsReport.of(config);
        assertThat(lagging.lines).hasSize(3).allSatisfy(line -> assertThat(line.tablePositions).hasSize(3));
        assertThat(lagging.lines.stream().mapToLong(PositionsReport.Line::lag).sum())
                .as("lag from the recorded positions = records produced since")
                .isEqualTo(later.records);
        Jobs.Result positions = Jobs.tool(with(args, "--positions"));
        assertThat(positions.exitCode()).as("positions within the topic: %s", positions.err()).isZero();
        assertThat(positions.out()).startsWith("  positions recorded in the tables").doesNotContain("Reconciliation");

        Jobs.Result missing = Jobs.tool(args.toArray(new String[0]));
        assertThat(missing.exitCode()).as("ids missing from the tables").isEqualTo(1);
        assertThat(missing.out())
                .containsPattern(String.format("missing\\s+%d ", later.distinctIds.size()))
                .contains("result                  MISMATCH");
    }

    @Test
    void aBadOptionExitsWith2NamingItWithTheUsage() {
        Jobs.Result result = Jobs.tool("reconcile", "--bootstrap-servers", "localhost:9", "--topics", "t",
                "--tabel-path", "/tmp/x");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err())
                .contains("'--tabel-path'")
                .contains("Usage: reconcile --bootstrap-servers … --topics … --table-path … [--json] [--positions]");
    }

    private static String[] with(List<String> args, String extra) {
        List<String> all = new ArrayList<>(args);
        all.add(extra);
        return all.toArray(new String[0]);
    }

    /** Valid orders {@code prefix0..} sent in one Kafka transaction that is then aborted. */
    private static List<String> abortedTransaction(String topic, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "reconcile-test-aborted"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                String json = "{\"order_id\":\"" + id + "\",\"customer_id\":\"c1\",\"amount\":12.50,"
                        + "\"currency\":\"EUR\",\"event_time\":\"2024-05-01T10:00:00Z\"}";
                producer.send(new ProducerRecord<>(topic, i % 3, null, json.getBytes(StandardCharsets.UTF_8)));
                ids.add(id);
            }
            producer.flush();
            producer.abortTransaction();
        }
        return ids;
    }
}
