package io.exactlyonce.job;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;

/**
 * A real single-node Kafka cluster (combined KRaft broker and controller) running in the test JVM,
 * listening on loopback only. Started once per test class; topics are created per test.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() throws Exception {
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("message.max.bytes", Integer.toString(4 << 20))
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafka(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
            // produce only once every partition has a leader: a send racing the election can be
            // rejected (NOT_LEADER, then out-of-sequence) and its records lost to the test
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) {
                try {
                    var description = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
                    if (description.partitions().size() == partitions
                            && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        break;
                    }
                } catch (java.util.concurrent.ExecutionException notYetKnown) {
                    // the metadata of a just created (or recreated) topic is still propagating
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("partitions of " + name + " have no leader after 30 s");
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
