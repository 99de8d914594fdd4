package io.exactlyonce.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code inspect} on real savepoints of the job (the golden ones, whose content is known: 40 orders
 * read from two partitions): the dedup key count, a key's first-seen time and its expiry timer, the
 * three committers with their appIds, the Kafka offsets per partition; and bad input exits 2.
 */
class InspectITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void showsTheDedupKeysCommittersAndKafkaOffsetsOfARealSavepoint() throws Exception {
        String savepoint = GoldenSavepointsITCase.golden("rocksdb").toString();
        Jobs.Result result = Jobs.tool("inspect", savepoint, "--key", "golden-000007", "--sample", "3", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode report = JSON.readTree(result.out());

        JsonNode dedup = report.get("dedup");
        assertThat(dedup.get("uid").asText()).isEqualTo("orders-dedup");
        assertThat(dedup.get("keys").asLong()).isEqualTo(GoldenSavepointsITCase.GOLDEN_ORDERS);
        assertThat(dedup.get("expiryTimers").asLong()).as("one expiry timer per key").isEqualTo(40);
        assertThat(dedup.get("sample")).hasSize(3);
        JsonNode key = dedup.get("lookup");
        assertThat(key.get("found").asBoolean()).isTrue();
        assertThat(key.get("firstSeen").asLong()).isEqualTo(Orders.timestamp(7));
        long expiry = Orders.timestamp(7) + Duration.ofDays(7).toMillis();
        assertThat(key.get("expiresAt").asLong()).isEqualTo(expiry);
        assertThat(key.get("timer").asLong()).as("the job's own expiry timer").isEqualTo(expiry);

        Set<String> committers = new HashSet<>();
        for (JsonNode c : report.get("committers")) {
            committers.add(c.get("uid").asText());
            assertThat(c.get("appId").asText()).matches("[0-9a-f-]{36}");
            for (JsonNode t : c.get("transactions")) {
                assertThat(t.get("files").asInt()).as("stopped when idle: nothing staged").isZero();
            }
        }
        assertThat(committers).containsExactlyInAnyOrder(
                "orders-orders-delta-committer", "orders-dead-letters-delta-committer",
                "orders-metrics-table-delta-committer");

        assertThat(report.get("kafkaSplits")).hasSize(2);
        for (JsonNode split : report.get("kafkaSplits")) {
            assertThat(split.get("topic").asText()).isEqualTo(GoldenSavepointsITCase.TOPIC);
            assertThat(split.get("offset").asLong()).as("20 orders read from each partition").isEqualTo(20);
        }
        Set<String> uids = new HashSet<>();
        report.get("operators").forEach(o -> uids.add(o.get("uid").asText()));
        assertThat(uids).contains("orders-kafka-source", "orders-dedup", "orders-orders-delta-writer");
    }

    @Test
    void aKeyThatIsNotInTheStateIsReportedAsSuchInText() throws Exception {
        Jobs.Result result = Jobs.tool("inspect", GoldenSavepointsITCase.golden("hashmap").toString(),
                "--key", "never-seen", "--state-backend", "hashmap");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("Dedup (orders-dedup): 40 keys, 40 expiry timers")
                .contains("never-seen: not in the dedup state")
                .contains("golden-orders-0 offset 20")
                .contains("golden-orders-1 offset 20");
    }

    @Test
    void aPathThatIsNotASavepointExitsTwoWithOneMessage() throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "hello");
        Jobs.Result result = Jobs.tool("inspect", tmp.toString());
        assertThat(result.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(result.err()).startsWith("error: <savepoint> '" + tmp + "' is not a savepoint");
        assertThat(result.err().lines().count()).as("one message, no stack trace").isEqualTo(1);
    }

    @Test
    void aSavepointOfAnotherJobExitsTwo() throws Exception {
        Jobs.Result result = Jobs.tool("inspect", GoldenSavepointsITCase.golden("rocksdb").toString(),
                "--uid-prefix", "payments");
        assertThat(result.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(result.err()).contains("holds no operator of this job under '--uid-prefix' 'payments'");
    }
}
