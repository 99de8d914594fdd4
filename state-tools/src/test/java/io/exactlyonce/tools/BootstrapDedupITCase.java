package io.exactlyonce.tools;

import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.KeySetAssert;
import io.exactlyonce.job.EmbeddedKafka;
import io.exactlyonce.job.config.JobConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bootstrap-dedup}: a savepoint seeded from an orders table holds every key of the table with
 * the job's expiry timer, and the job started from it over input that overlaps the table writes
 * exactly the new keys into that table (exact key set), and {@code table-status} shows the Kafka
 * positions the job recorded there; the seeded expiry timers fire in the job once its watermark has
 * passed first seen + TTL, so the seeded keys leave the state. Bad input exits 2 and writes nothing.
 */
class BootstrapDedupITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir Path tmp;

    @Test
    void theJobStartedFromTheSeededSavepointWritesOnlyTheNewKeys() throws Exception {
        String table = tmp.resolve("orders").toUri().toString();
        OrdersTableGenerator.write(table, "b", 0, 50);
        String savepoint = tmp.resolve("seeded").toString();

        Jobs.Result bootstrap = Jobs.tool("bootstrap-dedup", "--table", table, "--out", savepoint);
        assertThat(bootstrap.exitCode()).as(bootstrap.err()).isZero();
        assertThat(bootstrap.out()).contains("with the keys of 50 rows");

        JsonNode dedup = new ObjectMapper().readTree(
                Jobs.tool("inspect", savepoint, "--key", "b-000042", "--json").out()).get("dedup");
        assertThat(dedup.get("keys").asLong()).isEqualTo(50);
        assertThat(dedup.get("expiryTimers").asLong()).as("one timer per key, in the job's timer service").isEqualTo(50);
        assertThat(dedup.get("lookup").get("firstSeen").asLong()).isEqualTo(Orders.timestamp(42));
        assertThat(dedup.get("lookup").get("timer").asLong())
                .isEqualTo(Orders.timestamp(42) + Duration.ofDays(7).toMillis());

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("seeded-orders", 2);
            Orders.keepForever(kafka.bootstrapServers(), "seeded-orders");
            // orders 20..49 are in the table already; 50..69 are new
            Orders.produce(kafka.bootstrapServers(), "seeded-orders", 2, "b", Orders.range(20, 70));
            Map<String, String> options = Jobs.options(kafka.bootstrapServers(), "seeded-orders", tmp, "hashmap");
            options.put("bounded", "true");
            JobConfig config = JobConfig.fromMap(options);
            Jobs.submit(config, savepoint, "seeded").getJobExecutionResult().get();
            List<String> ids = new ArrayList<>();
            new DeltaTableReader(config.tablePath()).column("order_id").forEach(id -> ids.add((String) id));
            KeySetAssert.assertExactlyOnce(ids, Orders.ids("b", 0, 70));

            // table-status shows the positions the job recorded with its commits: 25 records per partition
            JsonNode positions = new ObjectMapper().readTree(Jobs.tool("table-status", config.tablePath(), "--json").out())
                    .get("recordedPositions").get("orders-orders");
            assertThat(positions).hasSize(2);
            positions.forEach(position -> assertThat(position.asLong()).isEqualTo(25));
        }
    }

    @Test
    void theSeededExpiryTimersFireOnceTheDataHasMovedOnByTheTtl() throws Exception {
        String table = tmp.resolve("orders").toUri().toString();
        OrdersTableGenerator.write(table, "e", 0, 30);              // first seen BASE + 0..29 s
        String seeded = tmp.resolve("seeded").toString();
        assertThat(Jobs.tool("bootstrap-dedup", "--table", table, "--out", seeded).exitCode()).isZero();

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("expiring-orders", 2);
            Orders.keepForever(kafka.bootstrapServers(), "expiring-orders");
            int eightDays = (int) Duration.ofDays(8).toSeconds();
            // two duplicates inside the window, then one new order per partition 8 days later: the
            // watermark passes every seeded timer (first seen + 7 days)
            Orders.produce(kafka.bootstrapServers(), "expiring-orders", 2, "e", List.of(4, 5, eightDays, eightDays + 1));
            JobConfig config = JobConfig.fromMap(Jobs.options(kafka.bootstrapServers(), "expiring-orders", tmp, "rocksdb"));
            JobClient job = Jobs.submit(config, seeded, "expiring");
            Set<String> expected = new HashSet<>(Orders.ids("e", 0, 30));
            expected.addAll(Orders.ids("e", eightDays, eightDays + 2));
            awaitRows(config.tablePath(), expected.size(), Duration.ofMinutes(2));
            Thread.sleep(3_000); // a few watermark intervals after the last record
            String savepoint = job.stopWithSavepoint(false, tmp.resolve("after").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();

            List<String> ids = new ArrayList<>();
            new DeltaTableReader(config.tablePath()).column("order_id").forEach(id -> ids.add((String) id));
            KeySetAssert.assertExactlyOnce(ids, expected);
            JsonNode dedup = new ObjectMapper().readTree(
                    Jobs.tool("inspect", savepoint, "--key", "e-000004", "--json").out()).get("dedup");
            assertThat(dedup.get("keys").asLong()).as("the 30 seeded keys expired; the 2 new ones remain: " + dedup)
                    .isEqualTo(2);
            assertThat(dedup.get("expiryTimers").asLong()).isEqualTo(2);
            assertThat(dedup.get("lookup").get("found").asBoolean()).as("e-000004 forgotten").isFalse();
        }
    }

    private static void awaitRows(String table, int rows, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Jobs.Result status = Jobs.tool("table-status", table, "--json");
            if (status.exitCode() == 0 && new ObjectMapper().readTree(status.out()).get("rows").asLong() >= rows) {
                return;
            }
            assertThat(System.nanoTime()).as("%d rows in %s within %s", rows, table, timeout).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void badInputExitsTwoAndWritesNothing() throws Exception {
        String table = tmp.resolve("orders").toUri().toString();
        Path out = tmp.resolve("out");

        Jobs.Result missing = Jobs.tool("bootstrap-dedup", "--table", tmp.resolve("nope").toString(), "--out", out.toString());
        assertThat(missing.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(missing.err()).contains("'--table'").contains("is not a Delta table");

        OrdersTableGenerator.write(table, "x", 0, 3);
        Jobs.Result noColumn = Jobs.tool("bootstrap-dedup", "--table", table, "--key", "id", "--out", out.toString());
        assertThat(noColumn.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(noColumn.err()).contains("no column 'id' (--key)");

        Jobs.Result notAString = Jobs.tool("bootstrap-dedup", "--table", table, "--key", "_kafka_offset", "--out", out.toString());
        assertThat(notAString.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(out).as("nothing written").doesNotExist();

        Files.createDirectories(out);
        Files.writeString(out.resolve("_metadata"), "an older savepoint");
        Jobs.Result exists = Jobs.tool("bootstrap-dedup", "--table", table, "--out", out.toString());
        assertThat(exists.exitCode()).isEqualTo(StateTools.BAD_INPUT);
        assertThat(exists.err()).contains("'--out'").contains("not empty");
        assertThat(Files.readString(out.resolve("_metadata"))).isEqualTo("an older savepoint");
    }
}
