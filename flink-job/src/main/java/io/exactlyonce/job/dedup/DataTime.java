package io.exactlyonce.job.dedup;

import io.exactlyonce.job.kafka.KafkaRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * The job's data clock, which the dedup window counts in: the Kafka record timestamps, turned into
 * watermarks per partition by the source (the slowest partition holds the clock back; a partition
 * without records for {@link #IDLE_AFTER} is left out until it has records again). Only the dedup
 * expiry uses it: no record is ever dropped for being late.
 *
 * <p>Failure cases: a topic with producer-set timestamps ({@code CreateTime}) lets a producer move
 * its partition's clock; one far in the future makes ids on that partition expire early. Use {@code
 * message.timestamp.type=LogAppendTime}, or bound {@code message.timestamp.after.max.ms}, on topics
 * whose producers are not trusted (see the README).
 */
public final class DataTime {

    /** A partition without records for this long does not hold the data clock back. */
    public static final Duration IDLE_AFTER = Duration.ofMinutes(1);

    private DataTime() {}

    /** Watermarks from the Kafka timestamps (the source's record timestamps). */
    public static WatermarkStrategy<KafkaRecord> watermarks() {
        return WatermarkStrategy.<KafkaRecord>forMonotonousTimestamps().withIdleness(IDLE_AFTER);
    }
}
