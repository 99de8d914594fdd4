package io.exactlyonce.job.parse;

import io.exactlyonce.job.OrderSchema;
import io.exactlyonce.job.kafka.KafkaRecord;

import org.apache.flink.table.data.GenericRowData;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link DeadLetterRows}: the raw value is capped, its full length and hash are kept. */
class DeadLetterRowsTest {

    private final DeadLetterRows rows = new DeadLetterRows(16);

    @Test
    void valueOverTheCapIsCutAndDescribedByLengthAndHash() throws Exception {
        byte[] value = new byte[1 << 20];
        Arrays.fill(value, (byte) 'x');
        GenericRowData dead = rows.of(new KafkaRecord(value, "t", 1, 7, 1000L), "too big");

        assertThat((byte[]) dead.getField(OrderSchema.DL_RAW_VALUE)).isEqualTo(Arrays.copyOf(value, 16));
        assertThat(dead.getField(OrderSchema.DL_RAW_VALUE_LENGTH)).isEqualTo(1L << 20);
        assertThat(dead.getField(OrderSchema.DL_RAW_VALUE_SHA256).toString())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
        assertThat(dead.getField(OrderSchema.DL_ERROR).toString()).isEqualTo("too big");
        assertThat(dead.getField(OrderSchema.DL_KAFKA_PARTITION)).isEqualTo(1);
        assertThat(dead.getField(OrderSchema.DL_KAFKA_OFFSET)).isEqualTo(7L);
    }

    @Test
    void valueUpToTheCapIsKeptWhole() {
        byte[] value = "{\"bad\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        GenericRowData dead = rows.of(new KafkaRecord(value, "t", 0, 0, 0L), "malformed JSON");

        assertThat((byte[]) dead.getField(OrderSchema.DL_RAW_VALUE)).isEqualTo(value);
        assertThat(dead.getField(OrderSchema.DL_RAW_VALUE_LENGTH)).isEqualTo((long) value.length);
        // SHA-256 of the same bytes twice: the digest is reset between letters
        assertThat(rows.of(new KafkaRecord(value, "t", 0, 1, 0L), "x").getField(OrderSchema.DL_RAW_VALUE_SHA256))
                .isEqualTo(dead.getField(OrderSchema.DL_RAW_VALUE_SHA256));
    }

    @Test
    void tombstoneHasNoValueLengthOrHash() {
        GenericRowData dead = rows.of(new KafkaRecord(null, "t", 0, 0, 0L), "null value (tombstone)");

        assertThat(dead.isNullAt(OrderSchema.DL_RAW_VALUE)).isTrue();
        assertThat(dead.isNullAt(OrderSchema.DL_RAW_VALUE_LENGTH)).isTrue();
        assertThat(dead.isNullAt(OrderSchema.DL_RAW_VALUE_SHA256)).isTrue();
    }
}
