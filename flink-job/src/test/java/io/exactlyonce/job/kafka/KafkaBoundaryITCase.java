package io.exactlyonce.job.kafka;

import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.KeySetAssert;
import io.exactlyonce.job.EmbeddedKafkaExtension;
import io.exactlyonce.job.OrdersJob;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static io.exactlyonce.job.JobRuns.awaitRows;
import static io.exactlyonce.job.JobRuns.latestCheckpoint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the job at its Kafka boundary, against a real in-process broker and a MiniCluster:
 * records deleted before a restore read them, a topic deleted and recreated under a checkpoint,
 * aborted Kafka transactions, and a fresh start from committed offsets against a table with data.
 */
class KafkaBoundaryITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** Far below what a retried (recoverable) failure needs to exhaust the restart strategy. */
    private static final long FAILS_WITHIN_SECONDS = 45;

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir Path tmp;

    @Test
    void recordsDeletedBeforeTheRestoreFailTheJobUnlessTheLossIsAccepted() throws Exception {
        String topic = "lost";
        kafka.createTopic(topic, 2);
        Set<String> first = new LinkedHashSet<>();
        first.addAll(produce(topic, 0, "a0-", 100));
        first.addAll(produce(topic, 1, "a1-", 100));
        JobConfig config = config(topic, "earliest");
        Path checkpoint = runUntilAndCancel(config, null, first.size());

        // while the job is down, 50 more records per partition arrive and the first 20 new ones of
        // partition 0 are deleted (as retention would): offsets [100, 120) of lost-0 are never read
        List<String> second0 = produce(topic, 0, "b0-", 50);
        List<String> second1 = produce(topic, 1, "b1-", 50);
        try (Admin admin = admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(120))).all().get();
        }

        JobClient refused = submit(config, checkpoint);
        Throwable failure = awaitFailure(refused);
        assertThat(ExceptionUtils.findThrowable(failure, KafkaRecordsLostException.class))
                .as("the job failed because records were lost, without restarts: %s", failure)
                .isPresent();
        String message = ExceptionUtils.findThrowable(failure, KafkaRecordsLostException.class).get().getMessage();
        assertThat(message)
                .contains("lost-0: the job continues at offset 100 but the partition now starts at 120")
                .contains("offsets [100, 120) (20 records) were deleted")
                .contains("'--accept-lost-kafka-records true'")
                .doesNotContain("lost-1");
        KeySetAssert.assertExactlyOnce(orderIds(config), first);

        // the same checkpoint with the loss accepted: partition 0 resumes at 120, nothing else is lost
        JobConfig accepting = config.with("accept-lost-kafka-records", "true");
        Set<String> expected = new LinkedHashSet<>(first);
        expected.addAll(second0.subList(20, 50));
        expected.addAll(second1);
        runUntilAndCancel(accepting, checkpoint, expected.size());
        KeySetAssert.assertExactlyOnce(orderIds(config), expected);
    }

    @Test
    void aTopicDeletedAndRecreatedUnderACheckpointFailsTheRestore() throws Exception {
        String topic = "recreated";
        kafka.createTopic(topic, 1);
        List<String> old = produce(topic, 0, "old-", 100);
        JobConfig config = config(topic, "earliest");
        Path checkpoint = runUntilAndCancel(config, null, old.size());

        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topic)).all().get();
            recreate(admin, topic);
        }
        produce(topic, 0, "new-", 10);

        Throwable failure = awaitFailure(submit(config, checkpoint));
        assertThat(ExceptionUtils.findThrowable(failure, KafkaRecordsLostException.class))
                .as("the restore failed because the topic changed under it: %s", failure)
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("recreated-0: the job continues at offset 100 but the partition ends at 10")
                .contains("deleted and recreated")
                .contains("'--accept-lost-kafka-records true'");
        KeySetAssert.assertExactlyOnce(orderIds(config), Set.copyOf(old));
    }

    @Test
    void recordsOfAbortedTransactionsNeverBecomeRows() throws Exception {
        String topic = "transactions";
        kafka.createTopic(topic, 1);
        Set<String> committed = new LinkedHashSet<>();
        List<String> aborted;
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            committed.addAll(sendInTransaction(producer, topic, "c1-", 100, true));
            aborted = sendInTransaction(producer, topic, "x-", 100, false);
            committed.addAll(sendInTransaction(producer, topic, "c2-", 100, true));
        }
        JobConfig config = config(topic, "earliest").with("bounded", "true");

        submit(config, null).getJobExecutionResult().get(120, TimeUnit.SECONDS);

        List<String> rows = orderIds(config);
        assertThat(rows).as("no row of an aborted transaction").doesNotContainAnyElementsOf(aborted);
        KeySetAssert.assertExactlyOnce(rows, committed);
        assertThat(new DeltaTableReader(config.deadLetterPath()).rows()).as("dead letters").isEmpty();
    }

    @Test
    void aFreshStartFromCommittedOffsetsAgainstATableWithDataIsRefusedUnlessAcknowledged() throws Exception {
        String topic = "fresh-committed";
        kafka.createTopic(topic, 2);
        Set<String> ids = new LinkedHashSet<>(produce(topic, 0, "f-", 200));
        // a committed start against a table that does not exist yet is fine: no group offsets -> earliest
        JobConfig config = config(topic, "committed").with("bounded", "true");
        submit(config, null).getJobExecutionResult().get(120, TimeUnit.SECONDS);
        KeySetAssert.assertExactlyOnce(orderIds(config), ids);

        Throwable failure = awaitFailure(submit(config, null));
        assertThat(ExceptionUtils.findThrowable(failure, UnsafeCommittedStartException.class))
                .as("the fresh committed start was refused: %s", failure)
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("'--starting-offsets committed'")
                .contains("flink run -s")
                .contains("'--accept-committed-offsets-gap true'");
        KeySetAssert.assertExactlyOnce(orderIds(config), ids);

        submit(config.with("accept-committed-offsets-gap", "true"), null)
                .getJobExecutionResult().get(120, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------

    private JobConfig config(String topic, String startingOffsets) {
        return JobConfig.fromMap(Map.of(
                "bootstrap-servers", kafka.bootstrapServers(),
                "topics", topic,
                "group-id", "group-" + topic,
                "table-path", tmp.resolve("orders").toUri().toString(),
                "checkpoint-dir", tmp.resolve("checkpoints").toUri().toString(),
                "checkpoint-interval-ms", "300",
                "starting-offsets", startingOffsets,
                "state-backend", "hashmap"));
    }

    private static JobClient submit(JobConfig config, Path restoreFrom) throws Exception {
        Configuration conf = new Configuration();
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        OrdersJob.configure(env, config);
        env.setParallelism(2);
        OrdersPipeline.build(env, config);
        return env.executeAsync("kafka-boundary");
    }

    /** Runs (or restores) the unbounded job until the table has {@code rows} rows, cancels it, returns its last checkpoint. */
    private Path runUntilAndCancel(JobConfig config, Path restoreFrom, int rows) throws Exception {
        JobClient client = submit(config, restoreFrom);
        awaitRows(config.tablePath(), rows);
        Thread.sleep(1_000); // a few more (empty) checkpoints
        client.cancel().get();
        try {
            client.getJobExecutionResult().get();
        } catch (ExecutionException cancelled) {
            // a cancelled job completes its result exceptionally
        }
        return latestCheckpoint(tmp.resolve("checkpoints").resolve(client.getJobID().toString()));
    }

    /** The job must end FAILED on its own, quickly: a recoverable error would be retried for minutes. */
    private static Throwable awaitFailure(JobClient client) throws Exception {
        try {
            client.getJobExecutionResult().get(FAILS_WITHIN_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            client.cancel().get();
            throw new AssertionError("the job did not fail within " + FAILS_WITHIN_SECONDS + " s", e);
        }
        throw new AssertionError("the job finished instead of failing");
    }

    private static List<String> orderIds(JobConfig config) {
        return new DeltaTableReader(config.tablePath()).column("order_id").stream()
                .map(String::valueOf).collect(Collectors.toList());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    /** Topic deletion completes asynchronously: retry the creation until the name is free. */
    private static void recreate(Admin admin, String topic) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static byte[] order(String id) {
        return ("{\"order_id\":\"" + id + "\",\"customer_id\":\"c1\",\"amount\":12.50,\"currency\":\"EUR\","
                + "\"event_time\":\"2024-05-01T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code count} valid orders {@code prefix0..} into one partition, acknowledged. */
    private static List<String> produce(String topic, int partition, String prefix, int count) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                producer.send(new ProducerRecord<>(topic, partition, null, order(id)));
                ids.add(id);
            }
            producer.flush();
        }
        return ids;
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "orders-tx-test");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<String> sendInTransaction(
            KafkaProducer<byte[], byte[]> producer, String topic, String prefix, int count, boolean commit) {
        producer.beginTransaction();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            producer.send(new ProducerRecord<>(topic, 0, null, order(id)));
            ids.add(id);
        }
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
        return ids;
    }
}
