package io.exactlyonce.job;

import io.exactlyonce.delta.sink.testutil.DeltaTableReader;
import io.exactlyonce.delta.sink.testutil.KeySetAssert;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile records against the job as {@code deploy/run-local.sh} runs it: {@code LocalJobRunner} in
 * its own JVM with the script's heap, reading a real broker. The topic holds 600 records of
 * ~1 MiB (valid orders padded with an unknown field, and records just over max-record-bytes: about
 * 600 MB, sized to keep the test near a minute on two cores), valid orders with a ~900 KB customer_id, a million-digit amount and a 1 MB
 * order_id. The job must finish its bounded run, and every record must be in a table: the orders
 * table holds exactly the valid ids, the dead-letter table exactly the (partition, offset) of the
 * others, with their reasons, raw values cut to the cap, full lengths and SHA-256.
 */
class HostileRecordsITCase {

    private static final int PADDED = 300;
    private static final int OVERSIZED = 300;
    private static final int BIG_CUSTOMER = 5;
    private static final int NORMAL = 500;
    private static final int MAX_RECORD_BYTES = 1 << 20; // the job's default
    private static final int DEAD_LETTER_CAP = 65_536; // the job's default

    @TempDir Path tmp;

    @Test
    void hugeAndHostileRecordsAllEndUpInATableWithinTheDefaultHeap() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String topic = "hostile";
            kafka.createTopic(topic, 2);
            long start = System.nanoTime();
            Produced produced = produce(kafka.bootstrapServers(), topic);
            long produceMs = (System.nanoTime() - start) / 1_000_000;

            String table = tmp.resolve("orders").toUri().toString(); // no trailing slash: not created yet
            // one ~1 MiB record per partition and fetch round trip is the consumer's default; a larger
            // fetch only saves time (and costs memory)
            Path kafkaProperties = Files.writeString(
                    tmp.resolve("kafka.properties"), "max.partition.fetch.bytes=" + (8 << 20) + "\n");
            long jobStart = System.nanoTime();
            runLocalJob(List.of(
                    "--bootstrap-servers", kafka.bootstrapServers(),
                    "--topics", topic,
                    "--table-path", table,
                    "--kafka-properties-file", kafkaProperties.toString(),
                    "--checkpoint-dir", tmp.resolve("checkpoints").toUri().toString(),
                    "--checkpoint-interval-ms", "1000",
                    "--bounded", "true",
                    "--starting-offsets", "earliest",
                    "--parallelism", "2"));
            long jobMs = (System.nanoTime() - jobStart) / 1_000_000;
            System.out.printf("Produced %d MB in %d ms; the local job ran in %d ms%n",
                    produced.bytes >> 20, produceMs, jobMs);

            List<Object> ids = new DeltaTableReader(table).column("order_id");
            KeySetAssert.assertExactlyOnce(
                    ids.stream().map(String::valueOf).collect(Collectors.toList()), new HashSet<>(produced.validIds));

            List<Map<String, Object>> deadLetters =
                    new DeltaTableReader(table + "_dead_letters").rows();
            Map<String, Map<String, Object>> byPosition = new HashMap<>();
            for (Map<String, Object> d : deadLetters) {
                String at = d.get("_kafka_partition") + "@" + d.get("_kafka_offset");
                assertThat(byPosition.put(at, d)).as("dead letter %s once", at).isNull();
            }
            assertThat(byPosition.keySet()).as("dead letters").isEqualTo(produced.badRecords.keySet());
            for (Map.Entry<String, Bad> expected : produced.badRecords.entrySet()) {
                Map<String, Object> d = byPosition.get(expected.getKey());
                Bad bad = expected.getValue();
                assertThat((String) d.get("error")).as("reason at %s", expected.getKey()).contains(bad.reason);
                byte[] raw = (byte[]) d.get("raw_value");
                assertThat(raw.length).isEqualTo(Math.min(bad.length, DEAD_LETTER_CAP));
                assertThat(d.get("raw_value_length")).isEqualTo((long) bad.length);
                assertThat(d.get("raw_value_sha256")).isEqualTo(bad.sha256);
            }
        }
    }

    /** What was produced: the valid ids, and the bad records by "partition@offset". */
    private static final class Produced {
        final List<String> validIds = new ArrayList<>();
        final Map<String, Bad> badRecords = new HashMap<>();
        long bytes;
    }

    private static final class Bad {
        final String reason;
        final int length;
        final String sha256;

        Bad(String reason, byte[] value) throws Exception {
            this.reason = reason;
            this.length = value.length;
            this.sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        }
    }

    private static Produced produce(String bootstrapServers, String topic) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 << 20));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L << 20));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Produced produced = new Produced();
        List<Future<RecordMetadata>> badSends = new ArrayList<>();
        List<Bad> bads = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            String pad = "x".repeat(MAX_RECORD_BYTES - 200);
            String tooBig = "y".repeat(MAX_RECORD_BYTES + 1_000);
            for (int i = 0; i < Math.max(Math.max(PADDED, OVERSIZED), NORMAL); i++) {
                if (i < PADDED) {
                    send(producer, topic, produced, order("p-" + i, "\"pad\":\"" + pad + "\""));
                    produced.validIds.add("p-" + i);
                }
                if (i < OVERSIZED) {
                    byte[] value = order("o-" + i, "\"pad\":\"" + tooBig + "\"");
                    badSends.add(send(producer, topic, produced, value));
                    bads.add(new Bad("exceeds max-record-bytes " + MAX_RECORD_BYTES, value));
                }
                if (i < NORMAL) {
                    send(producer, topic, produced, order("n-" + i, "\"amount\":\"12.50\""));
                    produced.validIds.add("n-" + i);
                }
                if (i < BIG_CUSTOMER) {
                    send(producer, topic, produced, order("c-" + i, "\"customer_id\":\"" + "c".repeat(900_000) + "\""));
                    produced.validIds.add("c-" + i);
                }
            }
            byte[] millionDigits = order("m-1", "\"amount\":\"" + "9".repeat(1_000_000) + "\"");
            badSends.add(send(producer, topic, produced, millionDigits));
            bads.add(new Bad("amount of 1000000 characters does not fit decimal(18,2)", millionDigits));
            byte[] megabyteId = bytes("{\"order_id\":\"" + "i".repeat(1_000_000) + "\",\"event_time\":\"2024-03-01T10:15:30Z\"}");
            badSends.add(send(producer, topic, produced, megabyteId));
            bads.add(new Bad("order_id of 1000000 characters exceeds max-order-id-bytes 256", megabyteId));
            producer.flush();
            for (int i = 0; i < badSends.size(); i++) {
                RecordMetadata at = badSends.get(i).get();
                produced.badRecords.put(at.partition() + "@" + at.offset(), bads.get(i));
            }
        }
        return produced;
    }

    private static Future<RecordMetadata> send(
            KafkaProducer<byte[], byte[]> producer, String topic, Produced produced, byte[] value) {
        produced.bytes += value.length;
        return producer.send(new ProducerRecord<>(topic, value));
    }

    private static byte[] order(String id, String extraField) {
        return bytes("{\"order_id\":\"" + id + "\"," + extraField + ",\"event_time\":\"2024-03-01T10:15:30Z\"}");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs the local runner as deploy/run-local.sh does ({@link LocalJobProcess}) and waits for it to finish. */
    private void runLocalJob(List<String> args) throws Exception {
        Path log = Paths.get("target", "HostileRecordsITCase-local-job.log");
        Files.deleteIfExists(log);
        Process job = LocalJobProcess.start(args, log);
        try {
            boolean exited = job.waitFor(150, TimeUnit.SECONDS);
            assertThat(exited).as("the local job finished within 150 s; log: %s", LocalJobProcess.tail(log)).isTrue();
            assertThat(job.exitValue()).as("exit code of the local job; log: %s", LocalJobProcess.tail(log)).isZero();
        } finally {
            job.destroyForcibly();
        }
    }
}
