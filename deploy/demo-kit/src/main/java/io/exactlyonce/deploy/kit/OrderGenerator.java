package io.exactlyonce.deploy.kit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

/**
 * Produces a reproducible stream of JSON orders into a Kafka topic: {@code distinct} unique orders,
 * a share of duplicates (re-sent copies of earlier orders, some to another partition and some much
 * later, as late duplicates) and a share of malformed records of every kind the parser rejects.
 * Everything is drawn from a seeded {@link Random}, and event times are fixed instants, so the same
 * seed always produces the same records. The returned {@link Produced} is the ground truth for the
 * reconciliation.
 */
public final class OrderGenerator {

    /** The malformed-record kinds, each with a record that the parser must reject. */
    public enum Malformed {
        INVALID_JSON,
        NOT_AN_OBJECT,
        MISSING_ORDER_ID,
        EMPTY_ORDER_ID,
        ORDER_ID_NOT_A_STRING,
        AMOUNT_NOT_A_NUMBER,
        AMOUNT_TOO_PRECISE,
        BAD_CURRENCY,
        BAD_EVENT_TIME,
        MISSING_EVENT_TIME,
        OVERSIZED,
        TOMBSTONE
    }

    /** What was produced. */
    public static final class Produced {
        public final Set<String> distinctIds = new HashSet<>();
        public long records;
        public long duplicates;
        public final List<Malformed> malformed = new ArrayList<>();
        final java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        final java.util.concurrent.ConcurrentLinkedQueue<ProducerRecord<byte[], byte[]>> failed =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        @Override
        public String toString() {
            return "produced=" + records + " distinct=" + distinctIds.size() + " duplicates="
                    + duplicates + " malformed=" + malformed.size();
        }
    }

    private static final Instant BASE_TIME = Instant.parse("2024-03-01T00:00:00Z");

    private final long seed;
    private final double duplicateShare;
    private final double malformedShare;
    private final int maxRecordBytes;

    public OrderGenerator(long seed, double duplicateShare, double malformedShare, int maxRecordBytes) {
        this.seed = seed;
        this.duplicateShare = duplicateShare;
        this.malformedShare = malformedShare;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Sends {@code distinct} orders plus duplicates and malformed records; returns the truth. */
    public Produced produce(String bootstrapServers, String topic, int partitions, long distinct, String idPrefix) {
        return produce(bootstrapServers, topic, partitions, 0, distinct, idPrefix);
    }

    /** Like {@link #produce(String, String, int, long, String)} for the ids {@code from..to-1}. */
    public Produced produce(
            String bootstrapServers, String topic, int partitions, long from, long to, String idPrefix) {
        Random random = new Random(seed);
        Produced produced = new Produced();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // a batch the broker keeps rejecting (out of sequence after a leader change) fails after 30 s
        // instead of Kafka's default 2 minutes, and is sent again by resendFailed
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Math.max(2 * maxRecordBytes, 1 << 20) + 4096));
        List<Long> late = new ArrayList<>();
        Malformed[] kinds = Malformed.values();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = from; i < to; i++) {
                int partition = (int) (i % partitions);
                send(producer, topic, partition, order(idPrefix, i), produced);
                produced.distinctIds.add(idPrefix + i);
                if (random.nextDouble() < duplicateShare) {
                    double kind = random.nextDouble();
                    if (kind < 0.4) {
                        // same partition, right after the original
                        send(producer, topic, partition, order(idPrefix, i), produced);
                        produced.duplicates++;
                    } else if (kind < 0.7) {
                        // another partition: ordering against the original is not guaranteed
                        send(producer, topic, (partition + 1) % partitions, order(idPrefix, i), produced);
                        produced.duplicates++;
                    } else {
                        late.add(i);
                    }
                }
                if (random.nextDouble() < malformedShare) {
                    Malformed m = kinds[random.nextInt(kinds.length)];
                    send(producer, topic, random.nextInt(partitions), malformed(m, idPrefix, i), produced);
                    produced.malformed.add(m);
                }
            }
            // late duplicates: sent after everything else
            for (long i : late) {
                send(producer, topic, random.nextInt(partitions), order(idPrefix, i), produced);
                produced.duplicates++;
            }
            producer.flush();
        }
        resendFailed(props, topic, produced);
        return produced;
    }

    /**
     * Sends again, one by one on a new producer, the records the broker rejected (a send racing a
     * partition's leader election can fail, and an idempotent producer then rejects the rest of its
     * batches as out of sequence): a rejected record was not written, so sending it again writes it
     * once. Never reports as produced what Kafka did not take: a reconciliation would blame the job.
     */
    private static void resendFailed(Properties props, String topic, Produced produced) {
        for (int round = 1; !produced.failed.isEmpty(); round++) {
            List<ProducerRecord<byte[], byte[]>> again = new ArrayList<>(produced.failed);
            produced.failed.clear();
            if (round > 5) {
                throw new IllegalStateException(
                        again.size() + " records could not be produced to " + topic, produced.failure.get());
            }
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                for (ProducerRecord<byte[], byte[]> record : again) {
                    try {
                        producer.send(record).get();
                    } catch (Exception e) {
                        produced.failed.add(record);
                        produced.failure.set(e);
                    }
                }
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, byte[] value, Produced produced) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, null, value);
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                produced.failed.add(record);
                produced.failure.compareAndSet(null, e);
            }
        });
        produced.records++;
    }

    /** The JSON of order {@code i}; the same for every copy of that order. */
    static byte[] order(String idPrefix, long i) {
        long cents = (i * 7919) % 1_000_000;
        Instant eventTime = BASE_TIME.plusSeconds((i * 37) % (3 * 86_400));
        String json =
                "{\"order_id\":\"" + idPrefix + i + "\",\"customer_id\":\"c" + (i % 5000)
                        + "\",\"amount\":" + (cents / 100) + "." + String.format("%02d", cents % 100)
                        + ",\"currency\":\"" + (i % 3 == 0 ? "EUR" : "USD")
                        + "\",\"event_time\":\"" + eventTime + "\",\"channel\":\"web\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    byte[] malformed(Malformed kind, String idPrefix, long i) {
        String id = "bad-" + idPrefix + i;
        String time = BASE_TIME.toString();
        switch (kind) {
            case INVALID_JSON:
                return utf8("{\"order_id\":\"" + id + "\",\"amount\":");
            case NOT_AN_OBJECT:
                return utf8("[1,2,3]");
            case MISSING_ORDER_ID:
                return utf8("{\"amount\":1.00,\"event_time\":\"" + time + "\"}");
            case EMPTY_ORDER_ID:
                return utf8("{\"order_id\":\"\",\"event_time\":\"" + time + "\"}");
            case ORDER_ID_NOT_A_STRING:
                return utf8("{\"order_id\":" + i + ",\"event_time\":\"" + time + "\"}");
            case AMOUNT_NOT_A_NUMBER:
                return utf8("{\"order_id\":\"" + id + "\",\"amount\":\"12,5\",\"event_time\":\"" + time + "\"}");
            case AMOUNT_TOO_PRECISE:
                return utf8("{\"order_id\":\"" + id + "\",\"amount\":1.005,\"event_time\":\"" + time + "\"}");
            case BAD_CURRENCY:
                return utf8("{\"order_id\":\"" + id + "\",\"currency\":\"euro\",\"event_time\":\"" + time + "\"}");
            case BAD_EVENT_TIME:
                return utf8("{\"order_id\":\"" + id + "\",\"event_time\":\"yesterday\"}");
            case MISSING_EVENT_TIME:
                return utf8("{\"order_id\":\"" + id + "\"}");
            case OVERSIZED:
                StringBuilder sb = new StringBuilder("{\"order_id\":\"" + id + "\",\"event_time\":\"" + time + "\",\"note\":\"");
                while (sb.length() <= maxRecordBytes) {
                    sb.append("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
                }
                return utf8(sb.append("\"}").toString());
            case TOMBSTONE:
                return null;
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
