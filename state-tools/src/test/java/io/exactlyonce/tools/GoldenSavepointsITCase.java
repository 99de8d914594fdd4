package io.exactlyonce.tools;

import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.KeySetAssert;
import io.exactlyonce.job.JobRuns;
import io.exactlyonce.job.config.JobConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.core.execution.JobClient;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoint compatibility: the job of this version restores the golden savepoints under {@code
 * src/test/resources/golden/<backend>/} (taken from this job, RocksDB and hashmap) and finishes
 * exactly — the orders it had not read yet land once, the ones it had are not read again (Kafka
 * offsets restored) and re-sent copies of them are dropped (dedup state restored). A change to the
 * job's state, uids or serializers that breaks this is a change that breaks users' upgrades: keep
 * the test green, or add a migration.
 *
 * <p>Regenerate (only when the savepoint format is meant to change, and say so in the release
 * notes): {@code mvn -pl state-tools -am verify -Dtest=RegenerateGoldenSavepoints
 * -Dsurefire.failIfNoSpecifiedTests=false} (see {@link RegenerateGoldenSavepoints}). The golden job read {@link #TOPIC} ({@link #PARTITIONS}
 * partitions) holding orders 0 to {@link #GOLDEN_ORDERS} - 1 of {@link Orders} with prefix {@link
 * #PREFIX}, under the default {@code --uid-prefix}, and was stopped with a canonical savepoint once
 * all were committed.
 */
class GoldenSavepointsITCase extends GoldenTopicRun {

    /** The golden savepoint of a backend, as the tests read it. */
    static Path golden(String backend) throws Exception {
        return Paths.get(GoldenSavepointsITCase.class.getResource("/golden/" + backend).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rocksdb", "hashmap"})
    void theCurrentJobRestoresTheGoldenSavepointAndFinishesExactly(String backend) throws Exception {
        // the same orders as the golden run, at the same offsets; then new ones and re-sent copies
        Orders.produce(kafka.bootstrapServers(), TOPIC, PARTITIONS, PREFIX, Orders.range(0, GOLDEN_ORDERS));
        List<Integer> next = new ArrayList<>(Orders.range(GOLDEN_ORDERS, GOLDEN_ORDERS + 20));
        next.addAll(Orders.range(0, 10));
        Orders.produce(kafka.bootstrapServers(), TOPIC, PARTITIONS, PREFIX, next);

        JobConfig config = JobConfig.fromMap(Jobs.options(kafka.bootstrapServers(), TOPIC, tmp, backend));
        JobClient job = Jobs.submit(config, golden(backend).toUri().toString(), "golden-restore-" + backend);
        JobRuns.awaitRows(config.tablePath(), 20);
        Thread.sleep(2_000); // more checkpoints: anything read twice or not deduplicated would land now
        job.cancel().get();
        JobRuns.awaitTermination(job);

        List<String> ids = new ArrayList<>();
        new DeltaTableReader(config.tablePath()).column("order_id").forEach(id -> ids.add((String) id));
        KeySetAssert.assertExactlyOnce(ids, Orders.ids(PREFIX, GOLDEN_ORDERS, GOLDEN_ORDERS + 20));

        // the run's last retained checkpoint (incremental with RocksDB) reads like a savepoint
        Path checkpoint = JobRuns.latestCheckpoint(tmp.resolve("checkpoints").resolve(job.getJobID().toString()));
        Jobs.Result inspected = Jobs.tool("inspect", checkpoint.toString(), "--state-backend", backend, "--json");
        assertThat(inspected.exitCode()).as(inspected.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(inspected.out());
        assertThat(report.get("dedup").get("keys").asLong()).as("40 restored + 20 new ids").isEqualTo(60);
        for (JsonNode split : report.get("kafkaSplits")) {
            assertThat(split.get("offset").asLong()).as("20 + 15 records per partition").isEqualTo(35);
        }
    }
}
