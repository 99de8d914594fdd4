package io.exactlyonce.deploy.bench;

import io.exactlyonce.deploy.kit.KafkaBroker;

/** Creates the benchmark's topics on the project-managed broker, all with the same partition count. */
final class KafkaTopics {

    private final KafkaBroker broker;
    private final int partitions;

    KafkaTopics(KafkaBroker broker, int partitions) {
        this.broker = broker;
        this.partitions = partitions;
    }

    void create(String topic) throws Exception {
        broker.createTopic(topic, partitions);
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    int partitions() {
        return partitions;
    }
}
