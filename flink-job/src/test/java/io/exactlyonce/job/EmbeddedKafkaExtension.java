package io.exactlyonce.job;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EmbeddedKafka} broker for all tests of a class: started before the first, stopped
 * after the last ({@code @RegisterExtension static final EmbeddedKafkaExtension kafka = new
 * EmbeddedKafkaExtension();}). A broker that fails to start fails the class; one that started is
 * always stopped.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafka broker;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public String bootstrapServers() {
        return running().bootstrapServers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        running().createTopic(name, partitions);
    }

    private EmbeddedKafka running() {
        if (broker == null) {
            throw new IllegalStateException("the embedded Kafka broker runs only while the test class runs");
        }
        return broker;
    }
}
