package io.exactlyonce.deploy.bench;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads the benchmark's input into Kafka: {@link #load} writes N records at full speed (each record
 * is a duplicate of an earlier order with probability {@code duplicates}, malformed with probability
 * {@code malformed}, else the next new order), {@link #stream} offers new orders at a fixed rate for
 * the freshness measurement. Orders are {@code <prefix>0 .. <prefix>(distinct-1)}, so the expected
 * output is known from one number. A record the broker rejects fails the load: the truth it returns
 * is then exact or there is none.
 */
final class OrderLoader {

    /** What was written. */
    record Loaded(long records, long distinct, long duplicates, long malformed, long millis) {}

    private final String bootstrapServers;
    private final String topic;
    private final int partitions;

    OrderLoader(String bootstrapServers, String topic, int partitions) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.partitions = partitions;
    }

    Loaded load(long records, double duplicates, double malformed, long seed, String idPrefix) {
        long start = System.currentTimeMillis();
        SplittableRandom random = new SplittableRandom(seed);
        OrderRecords json = new OrderRecords(idPrefix);
        long distinct = 0;
        long dups = 0;
        long bad = 0;
        try (Sender sender = new Sender()) {
            for (long r = 0; r < records; r++) {
                double u = random.nextDouble();
                if (u < malformed) {
                    sender.send(random.nextInt(partitions), json.malformed(bad++));
                } else if (u < malformed + duplicates && distinct > 0) {
                    // half re-sent soon after the original, half late (any earlier order); half to another partition
                    long earlier = random.nextBoolean()
                            ? distinct - 1 - random.nextLong(Math.min(distinct, 1000))
                            : random.nextLong(distinct);
                    int partition = (int) ((earlier + (random.nextBoolean() ? 0 : 1)) % partitions);
                    sender.send(partition, json.order(earlier));
                    dups++;
                } else {
                    sender.send((int) (distinct % partitions), json.order(distinct));
                    distinct++;
                }
            }
        }
        return new Loaded(records, distinct, dups, bad, System.currentTimeMillis() - start);
    }

    /**
     * Offers {@code ratePerSecond} new orders per second for {@code seconds} seconds (paced every 10
     * ms), ids {@code <prefix>0..}; each record's Kafka timestamp is its send time.
     */
    Loaded stream(int ratePerSecond, int seconds, String idPrefix) throws InterruptedException {
        long start = System.currentTimeMillis();
        OrderRecords json = new OrderRecords(idPrefix);
        long total = (long) ratePerSecond * seconds;
        long sent = 0;
        try (Sender sender = new Sender()) {
            while (sent < total) {
                long due = Math.min(total, (System.currentTimeMillis() - start) * ratePerSecond / 1000 + 1);
                for (; sent < due; sent++) {
                    sender.send((int) (sent % partitions), json.order(sent));
                }
                Thread.sleep(10);
            }
        }
        return new Loaded(total, total, 0, 0, System.currentTimeMillis() - start);
    }

    /** A producer that fails at close if the broker rejected any record. */
    private final class Sender implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final AtomicLong failed = new AtomicLong();

        Sender() {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
            props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L << 20));
            producer = new KafkaProducer<>(props);
        }

        void send(int partition, byte[] value) {
            producer.send(new ProducerRecord<>(topic, partition, null, value), (metadata, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                    failure.compareAndSet(null, e);
                }
            });
        }

        @Override
        public void close() {
            producer.close();
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " records were not written to " + topic
                        + "; the input is incomplete, run the benchmark again", failure.get());
            }
        }
    }

}
