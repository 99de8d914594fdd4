package io.exactlyonce.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deterministic test input: order ids {@code <prefix>-NNNNNN}, order {@code i} in partition {@code i %
 * partitions} with Kafka timestamp {@link #BASE} + {@code i} seconds, sent in order by one idempotent
 * producer, so the same ids give the same offsets on a fresh topic.
 */
public final class Orders {

    /** Kafka timestamp of order 0. */
    public static final long BASE = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private Orders() {}

    public static String id(String prefix, int i) {
        return String.format("%s-%06d", prefix, i);
    }

    public static Set<String> ids(String prefix, int from, int toExclusive) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = from; i < toExclusive; i++) {
            ids.add(id(prefix, i));
        }
        return ids;
    }

    public static long timestamp(int i) {
        return BASE + i * 1000L;
    }

    /** Sends order {@code i} for each {@code i} in {@code indexes}, in that order. */
    public static void produce(String bootstrap, String topic, int partitions, String prefix, List<Integer> indexes)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i : indexes) {
                String id = id(prefix, i);
                String json = "{\"order_id\":\"" + id + "\",\"customer_id\":\"c-" + (i % 7)
                        + "\",\"amount\":\"" + (i % 100) + ".25\",\"currency\":\"EUR\",\"event_time\":\""
                        + Instant.ofEpochMilli(timestamp(i)) + "\"}";
                producer.send(new ProducerRecord<>(topic, i % partitions, timestamp(i),
                        id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    /**
     * Keeps the topic's records whatever their age: the orders carry fixed timestamps in the past,
     * which the broker's time retention (7 days) would delete in the middle of a test.
     */
    public static void keepForever(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "-1"), AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    public static List<Integer> range(int from, int toExclusive) {
        return java.util.stream.IntStream.range(from, toExclusive).boxed().toList();
    }
}
