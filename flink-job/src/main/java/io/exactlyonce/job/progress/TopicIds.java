package io.exactlyonce.job.progress;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Looks up the Kafka topic ids of the job's topics (the broker's UUID for a topic, new when a topic
 * is deleted and recreated). A failure to reach Kafka is thrown: the caller fails and Flink's
 * restart strategy retries, as for any other Kafka outage at start.
 */
public final class TopicIds {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicIds() {}

    /** The admin client settings among the job's consumer properties (servers, security, timeouts). */
    public static Properties adminProperties(Properties consumerProperties) {
        Properties props = new Properties();
        consumerProperties.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k.toString())) {
                props.put(k, v);
            }
        });
        return props;
    }

    /** Topic name to topic id, for every topic given. */
    public static Map<String, String> of(Properties consumerProperties, List<String> topics) {
        try (Admin admin = Admin.create(adminProperties(consumerProperties))) {
            Map<String, TopicDescription> described =
                    admin.describeTopics(topics).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, String> ids = new HashMap<>();
            described.forEach((name, d) -> ids.put(name, d.topicId().toString()));
            return ids;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while looking up the ids of topics " + topics, e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot look up the ids of Kafka topics " + topics + " (needed to record the job's"
                            + " position in its tables): " + e.getMessage(),
                    e);
        }
    }
}
