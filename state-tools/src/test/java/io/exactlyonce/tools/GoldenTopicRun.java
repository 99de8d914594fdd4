package io.exactlyonce.tools;

import io.exactlyonce.job.EmbeddedKafka;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * What the golden-savepoint run and its restore tests share: a MiniCluster, and a fresh Kafka broker
 * per test with the golden topic ({@link #TOPIC}, {@link #PARTITIONS} partitions) whose back-dated
 * orders time retention must not delete mid-test.
 */
abstract class GoldenTopicRun {

    static final String TOPIC = "golden-orders";
    static final int PARTITIONS = 2;
    static final String PREFIX = "golden";
    static final int GOLDEN_ORDERS = 40;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir Path tmp;
    EmbeddedKafka kafka;

    @BeforeEach
    void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic(TOPIC, PARTITIONS);
        Orders.keepForever(kafka.bootstrapServers(), TOPIC);
    }

    @AfterEach
    void stopKafka() throws Exception {
        kafka.close();
    }
}
