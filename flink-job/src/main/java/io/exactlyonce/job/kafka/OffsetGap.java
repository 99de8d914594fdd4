package io.exactlyonce.job.kafka;

import org.apache.kafka.common.TopicPartition;

/**
 * One partition whose next offset to read is outside what Kafka still holds: {@code position} is
 * where the job must continue, {@code logStart}/{@code logEnd} what the partition holds now
 * (log start offset and high watermark).
 */
public record OffsetGap(TopicPartition partition, long position, long logStart, long logEnd) {

    /** Records were deleted before the job read them (retention, {@code deleteRecords}). */
    public boolean deletedBeforeRead() {
        return position < logStart;
    }

    /** What happened, for logs and failure messages. */
    public String describe() {
        if (deletedBeforeRead()) {
            return String.format(
                    "%s: the job continues at offset %d but the partition now starts at %d: offsets [%d, %d)"
                            + " (%d records) were deleted before the job read them (retention.ms/retention.bytes"
                            + " or deleteRecords, while the job was stopped or lagging)",
                    partition, position, logStart, position, logStart, logStart - position);
        }
        return String.format(
                "%s: the job continues at offset %d but the partition ends at %d: the topic was deleted and"
                        + " recreated (or its log truncated); what the job had not read of the old topic is gone",
                partition, position, logEnd);
    }
}
