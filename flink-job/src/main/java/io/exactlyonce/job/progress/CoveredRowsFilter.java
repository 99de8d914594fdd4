package io.exactlyonce.job.progress;

import io.exactlyonce.delta.sink.core.SourceProgress;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Drops the rows a table already holds after a start without Flink state: rows whose Kafka
 * partition and offset lie below the position the table recorded for that partition. The source
 * starts each partition at the lowest position of all the job's tables ({@link
 * TableStartingOffsets}), so a table that got further re-sees rows it committed; this filter, in
 * front of that table's sink, keeps them out. Positions are those of the table when the job was
 * built, for the topic ids Kafka has now (a recreated topic's rows are never dropped by the old
 * topic's positions). After a restore from a checkpoint the source resumes at or beyond these
 * positions, so the filter drops nothing. Counts what it drops in the {@code rowsAlreadyInTable}
 * metric.
 */
public final class CoveredRowsFilter extends RichFilterFunction<RowData> {

    private static final long serialVersionUID = 1L;

    private final SourceProgress tableProgress;
    private final Properties consumerProperties;
    private final List<String> topics;
    private final int topicField;
    private final int partitionField;
    private final int offsetField;

    private transient Map<String, long[]> positions;
    private transient org.apache.flink.table.data.StringData lastTopic;
    private transient long[] lastPositions;
    private transient Counter dropped;

    public CoveredRowsFilter(
            SourceProgress tableProgress,
            Properties consumerProperties,
            List<String> topics,
            int topicField,
            int partitionField,
            int offsetField) {
        this.tableProgress = tableProgress;
        this.consumerProperties = consumerProperties;
        this.topics = List.copyOf(topics);
        this.topicField = topicField;
        this.partitionField = partitionField;
        this.offsetField = offsetField;
    }

    @Override
    public void open(OpenContext context) {
        Map<String, String> topicIds = TopicIds.of(consumerProperties, topics);
        positions = new HashMap<>();
        for (Map.Entry<String, Long> e : tableProgress.positions().entrySet()) {
            KafkaProgressKey.parse(e.getKey())
                    .filter(k -> k.topicId.equals(topicIds.get(k.topic)))
                    .ifPresent(k -> {
                        long[] byPartition = positions.computeIfAbsent(k.topic, t -> new long[0]);
                        if (k.partition >= byPartition.length) {
                            byPartition = java.util.Arrays.copyOf(byPartition, k.partition + 1);
                            positions.put(k.topic, byPartition);
                        }
                        byPartition[k.partition] = e.getValue();
                    });
        }
        dropped = getRuntimeContext().getMetricGroup().counter("rowsAlreadyInTable");
    }

    @Override
    public boolean filter(RowData row) {
        if (positions.isEmpty()) {
            return true;
        }
        org.apache.flink.table.data.StringData topic = row.getString(topicField);
        long[] byPartition;
        if (topic.equals(lastTopic)) {
            byPartition = lastPositions;
        } else {
            byPartition = positions.get(topic.toString());
            lastTopic = org.apache.flink.table.data.StringData.fromString(topic.toString());
            lastPositions = byPartition;
        }
        int partition = row.getInt(partitionField);
        if (byPartition == null || partition >= byPartition.length) {
            return true;
        }
        if (row.getLong(offsetField) < byPartition[partition]) {
            dropped.inc();
            return false;
        }
        return true;
    }
}
