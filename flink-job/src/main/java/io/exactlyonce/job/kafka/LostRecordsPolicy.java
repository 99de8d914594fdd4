package io.exactlyonce.job.kafka;

import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;

import org.apache.kafka.common.TopicPartition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the job does when Kafka no longer holds the records at the offsets it must read: fail with a
 * {@link KafkaRecordsLostException} that names every gap and {@code '--accept-lost-kafka-records'}
 * (the default), or — with that option — log each lost range at WARN and resume the partition at
 * its earliest available offset.
 */
public final class LostRecordsPolicy implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LostRecordsPolicy.class);

    static final String ACCEPT_OPTION = "--accept-lost-kafka-records";

    private final KafkaOffsetRangeCheck check;
    private final boolean acceptLoss;

    public LostRecordsPolicy(KafkaOffsetRangeCheck check, boolean acceptLoss) {
        this.check = check;
        this.acceptLoss = acceptLoss;
    }

    public boolean acceptsLoss() {
        return acceptLoss;
    }

    /**
     * The splits to read: unchanged when every specific starting offset is still in its partition;
     * otherwise fails, or (accepting the loss) moves the affected splits to their log start.
     * Splits starting at a marker (earliest, latest) are not checked: the consumer resolves them.
     */
    public List<KafkaPartitionSplit> check(List<KafkaPartitionSplit> splits) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (KafkaPartitionSplit split : splits) {
            if (split.getStartingOffset() >= 0) {
                positions.put(split.getTopicPartition(), split.getStartingOffset());
            }
        }
        List<OffsetGap> gaps = check.gaps(positions);
        if (gaps.isEmpty()) {
            return splits;
        }
        if (!acceptLoss) {
            throw lost(gaps, null);
        }
        Map<TopicPartition, OffsetGap> byPartition =
                gaps.stream().collect(Collectors.toMap(OffsetGap::partition, g -> g));
        List<KafkaPartitionSplit> resumed = new ArrayList<>(splits.size());
        for (KafkaPartitionSplit split : splits) {
            OffsetGap gap = byPartition.get(split.getTopicPartition());
            if (gap == null) {
                resumed.add(split);
            } else {
                LOG.warn("Kafka records lost, accepted by {}: {}; resuming at offset {}",
                        ACCEPT_OPTION, gap.describe(), gap.logStart());
                resumed.add(new KafkaPartitionSplit(
                        split.getTopicPartition(),
                        gap.logStart(),
                        split.getStoppingOffset().orElse(KafkaPartitionSplit.NO_STOPPING_OFFSET)));
            }
        }
        return resumed;
    }

    /**
     * The failure for a consumer that hit an out-of-range offset while reading: non-recoverable
     * unless the loss is accepted, in which case the job restarts from its last checkpoint and
     * {@link #check} skips the lost range there.
     */
    public RuntimeException outOfRange(Map<TopicPartition, Long> positions, Throwable cause) {
        List<OffsetGap> gaps;
        try {
            gaps = check.gaps(positions);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            gaps = List.of();
        }
        if (acceptLoss) {
            return new IllegalStateException(
                    "Kafka offsets out of range while reading " + positions + " (" + describe(gaps)
                            + "); restarting from the last checkpoint, where " + ACCEPT_OPTION
                            + " resumes each affected partition at its earliest offset",
                    cause);
        }
        if (gaps.isEmpty()) {
            return new KafkaRecordsLostException(
                    "Kafka reported offsets out of range while reading " + positions + ": records were deleted"
                            + " before the job read them, or the topic was recreated. " + fix(),
                    cause);
        }
        return lost(gaps, cause);
    }

    private static KafkaRecordsLostException lost(List<OffsetGap> gaps, Throwable cause) {
        KafkaRecordsLostException e =
                new KafkaRecordsLostException(
                        "Kafka no longer holds records this job has not read yet: " + describe(gaps) + ". " + fix(),
                        cause);
        LOG.error("{}", e.getMessage());
        return e;
    }

    private static String describe(List<OffsetGap> gaps) {
        return gaps.stream().map(OffsetGap::describe).collect(Collectors.joining("; "));
    }

    private static String fix() {
        return "The job does not jump to another offset silently and ends FAILED without restarts (a restart"
                + " meets the same gap). To accept the loss and resume each such partition at its earliest"
                + " available offset, run again from the same checkpoint or savepoint with '" + ACCEPT_OPTION
                + " true'; to avoid it, keep the topic's retention longer than the job may be down or behind.";
    }
}
