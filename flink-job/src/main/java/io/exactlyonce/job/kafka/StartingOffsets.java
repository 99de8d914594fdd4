package io.exactlyonce.job.kafka;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The source's starting offsets for {@code --starting-offsets}, all with the consumer reset strategy
 * {@code none}. The connector sets the consumer's {@code auto.offset.reset} from the starting
 * offsets' strategy, and the consumer then applies it to every out-of-range offset — restored ones
 * included — by jumping silently to the earliest or latest offset. With {@code none} it throws
 * instead, and {@link LostRecordsPolicy} decides. Because {@code none} also forbids the consumer's
 * own fallback for a group without committed offsets, {@code committed} is resolved here, in the
 * enumerator: the committed offset where there is one, the earliest offset otherwise.
 */
public final class StartingOffsets {

    private StartingOffsets() {}

    /** {@code committed}, {@code earliest}, {@code latest} or {@code timestamp:<ms>}. */
    public static OffsetsInitializer of(String mode, long timestampMs) {
        switch (mode) {
            case "earliest":
                return new NoReset(OffsetsInitializer.earliest());
            case "latest":
                return new NoReset(OffsetsInitializer.latest());
            case "committed":
                return new CommittedOrEarliest();
            default:
                return new NoReset(OffsetsInitializer.timestamp(timestampMs));
        }
    }

    /** Another initializer's offsets with reset strategy {@code none}. */
    private static final class NoReset implements OffsetsInitializer {
        private static final long serialVersionUID = 1L;
        private final OffsetsInitializer offsets;

        NoReset(OffsetsInitializer offsets) {
            this.offsets = offsets;
        }

        @Override
        public Map<TopicPartition, Long> getPartitionOffsets(
                Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever) {
            return offsets.getPartitionOffsets(partitions, retriever);
        }

        @Override
        public OffsetResetStrategy getAutoOffsetResetStrategy() {
            return OffsetResetStrategy.NONE;
        }
    }

    /** The group's committed offset per partition; the earliest offset where it has none. */
    private static final class CommittedOrEarliest implements OffsetsInitializer {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(CommittedOrEarliest.class);

        @Override
        public Map<TopicPartition, Long> getPartitionOffsets(
                Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever) {
            Map<TopicPartition, Long> committed = retriever.committedOffsets(partitions);
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (TopicPartition tp : partitions) {
                Long offset = committed.get(tp);
                if (offset == null || offset < 0) {
                    LOG.info("No committed offset for {}: starting at its earliest offset", tp);
                    offsets.put(tp, KafkaPartitionSplit.EARLIEST_OFFSET);
                } else {
                    LOG.info("Starting {} at its committed offset {}", tp, offset);
                    offsets.put(tp, offset);
                }
            }
            return offsets;
        }

        @Override
        public OffsetResetStrategy getAutoOffsetResetStrategy() {
            return OffsetResetStrategy.NONE;
        }
    }
}
