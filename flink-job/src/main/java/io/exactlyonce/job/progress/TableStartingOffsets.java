package io.exactlyonce.job.progress;

import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.job.kafka.KafkaRecordsLostException;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --starting-offsets table}: where a job started without Flink state begins, read from its
 * own Delta tables. Flink only asks when it creates the source without restored state (a restore
 * always wins), and for partitions discovered later.
 *
 * <p>Each partition starts at the lowest position the job's tables record for it, so that no table
 * misses a record; a table that records a higher position drops the rows it already holds (see
 * {@link CoveredRowsFilter}). A partition that some table does not know starts at the earliest
 * offset (that table may lack its records); an empty or new table knows nothing, so everything
 * starts at the earliest offset. Positions recorded for the topic under another topic id (the topic
 * was deleted and recreated) are never applied to the new topic: the start fails with {@link
 * KafkaRecordsLostException}, unless {@code --accept-lost-kafka-records} accepts it (then the new
 * topic starts at its earliest offset). The reset strategy is {@code none}, like every starting mode
 * of the job. Every decision is logged per partition at INFO.
 */
public final class TableStartingOffsets implements OffsetsInitializer {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TableStartingOffsets.class);

    private final JobTables tables;
    private final Properties consumerProperties;
    private final boolean acceptRecreatedTopic;

    public TableStartingOffsets(JobTables tables, Properties consumerProperties, boolean acceptRecreatedTopic) {
        this.tables = tables;
        this.consumerProperties = consumerProperties;
        this.acceptRecreatedTopic = acceptRecreatedTopic;
    }

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(
            Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever) {
        Set<String> topics = new TreeSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        Map<String, String> topicIds = TopicIds.of(consumerProperties, new ArrayList<>(topics));
        Map<JobTables.Table, SourceProgress> recorded = tables.read();
        checkTopicIds(topicIds, recorded);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            String key = new KafkaProgressKey(tp.topic(), tp.partition(), topicIds.get(tp.topic())).key();
            long start = Long.MAX_VALUE;
            List<String> why = new ArrayList<>();
            for (Map.Entry<JobTables.Table, SourceProgress> table : recorded.entrySet()) {
                Long position = table.getValue().positions().get(key);
                if (position == null) {
                    start = KafkaPartitionSplit.EARLIEST_OFFSET;
                    why.add(table.getKey() + " has no position for it");
                } else {
                    start = Math.min(start, position);
                    why.add(table.getKey() + " is at " + position);
                }
            }
            if (start == KafkaPartitionSplit.EARLIEST_OFFSET || start == Long.MAX_VALUE) {
                LOG.info("Starting {} at its earliest offset: {}", tp, String.join("; ", why));
                offsets.put(tp, KafkaPartitionSplit.EARLIEST_OFFSET);
            } else {
                LOG.info("Starting {} at offset {}, the lowest position its tables record: {}",
                        tp, start, String.join("; ", why));
                offsets.put(tp, start);
            }
        }
        return offsets;
    }

    /** Fails if a table recorded positions of one of the topics under another topic id. */
    private void checkTopicIds(Map<String, String> topicIds, Map<JobTables.Table, SourceProgress> recorded) {
        for (Map.Entry<JobTables.Table, SourceProgress> table : recorded.entrySet()) {
            Map<String, Set<String>> idsByTopic = new HashMap<>();
            for (String key : table.getValue().positions().keySet()) {
                KafkaProgressKey.parse(key)
                        .ifPresent(k -> idsByTopic.computeIfAbsent(k.topic, t -> new TreeSet<>()).add(k.topicId));
            }
            for (Map.Entry<String, String> topic : topicIds.entrySet()) {
                Set<String> known = idsByTopic.get(topic.getKey());
                if (known == null || known.contains(topic.getValue())) {
                    continue;
                }
                String message = "Topic '" + topic.getKey() + "' has id " + topic.getValue() + ", but table "
                        + table.getKey() + " recorded positions for it under id(s) " + known
                        + ": the topic was deleted and recreated since the job last committed. Its old records"
                        + " that the job had not read are gone, and the old positions do not apply to the new"
                        + " topic. To start the new topic from its earliest offset, accept the loss with"
                        + " '--accept-lost-kafka-records true'.";
                if (!acceptRecreatedTopic) {
                    LOG.error("{}", message);
                    throw new KafkaRecordsLostException(message, null);
                }
                LOG.warn("{} Accepted ('--accept-lost-kafka-records'): starting it at its earliest offset.", message);
            }
        }
    }

    @Override
    public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return OffsetResetStrategy.NONE;
    }
}
