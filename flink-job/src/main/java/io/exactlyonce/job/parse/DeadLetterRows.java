package io.exactlyonce.job.parse;

import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.kafka.KafkaRecord;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Builds dead-letter rows: the reason, the Kafka lineage and the raw value cut to a cap, with the
 * value's full length and SHA-256 so a truncated letter still identifies its record (and the whole
 * record stays readable in Kafka at its partition and offset until retention). The cap keeps a
 * stream of huge bad records from turning into equally huge rows in the writer's buffers and the
 * table. Dead letters are rare, so hashing here costs nothing on the hot path. Not thread-safe: one
 * instance per task.
 */
final class DeadLetterRows {

    private final int maxValueBytes;
    private final MessageDigest sha256;

    DeadLetterRows(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    GenericRowData of(KafkaRecord record, String error) {
        GenericRowData dead = new GenericRowData(OrderSchema.DEAD_LETTERS.getFieldCount());
        byte[] value = record.value;
        if (value != null) {
            dead.setField(
                    OrderSchema.DL_RAW_VALUE,
                    value.length <= maxValueBytes ? value : Arrays.copyOf(value, maxValueBytes));
            dead.setField(OrderSchema.DL_RAW_VALUE_LENGTH, (long) value.length);
            dead.setField(
                    OrderSchema.DL_RAW_VALUE_SHA256, StringData.fromString(HexFormat.of().formatHex(sha256.digest(value))));
        }
        dead.setField(OrderSchema.DL_ERROR, StringData.fromString(error));
        dead.setField(OrderSchema.DL_KAFKA_TOPIC, StringData.fromString(record.topic));
        dead.setField(OrderSchema.DL_KAFKA_PARTITION, record.partition);
        dead.setField(OrderSchema.DL_KAFKA_OFFSET, record.offset);
        dead.setField(OrderSchema.DL_KAFKA_TIMESTAMP, TimestampData.fromEpochMillis(record.timestamp));
        return dead;
    }
}
