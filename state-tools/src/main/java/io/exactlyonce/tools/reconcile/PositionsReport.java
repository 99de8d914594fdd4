package io.exactlyonce.tools.reconcile;

import io.exactlyonce.delta.sink.core.SourceProgress;
import io.exactlyonce.job.OrdersPipeline;
import io.exactlyonce.job.config.JobConfig;
import io.exactlyonce.job.progress.JobTables;
import io.exactlyonce.job.progress.KafkaProgressKey;
import io.exactlyonce.job.progress.TopicIds;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Where the job's tables stand against the topic, without scanning either: per partition, the
 * position each table recorded with its last commit and the topic's end offset (read_committed),
 * and the lag (end minus the lowest table position). A table position beyond the end offset means
 * the positions do not belong to this topic (it was recreated) and is flagged.
 */
public final class PositionsReport {

    /** One partition's line. */
    public static final class Line {
        public final String partition;
        public final Map<String, Long> tablePositions = new TreeMap<>();
        public long endOffset;

        Line(String partition) {
            this.partition = partition;
        }

        /** Records the tables have yet to cover: end offset minus the lowest table position (all if none). */
        public long lag() {
            long lowest = tablePositions.values().stream().mapToLong(Long::longValue).min().orElse(0L);
            return tablePositions.size() < 3 ? endOffset : Math.max(0, endOffset - lowest);
        }

        public boolean beyondEnd() {
            return tablePositions.values().stream().anyMatch(p -> p > endOffset);
        }
    }

    public final List<Line> lines = new ArrayList<>();

    public static PositionsReport of(JobConfig config) {
        JobTables tables = OrdersPipeline.tables(config);
        Map<JobTables.Table, SourceProgress> recorded = tables.read();
        Properties consumer = config.kafkaConsumerProperties();
        Map<String, String> topicIds = TopicIds.of(consumer, config.topics());
        PositionsReport report = new PositionsReport();
        try (Admin admin = Admin.create(TopicIds.adminProperties(consumer))) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(config.topics()).allTopicNames().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            topics.values().forEach(d -> d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            var ends = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            Map<TopicPartition, Line> byPartition = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            ends.forEach((tp, info) -> {
                Line line = new Line(tp.toString());
                line.endOffset = info.offset();
                byPartition.put(tp, line);
            });
            for (Map.Entry<JobTables.Table, SourceProgress> table : recorded.entrySet()) {
                table.getValue().positions().forEach((key, position) -> KafkaProgressKey.parse(key)
                        .filter(k -> k.topicId.equals(topicIds.get(k.topic)))
                        .ifPresent(k -> {
                            Line line = byPartition.get(new TopicPartition(k.topic, k.partition));
                            if (line != null) {
                                line.tablePositions.put(table.getKey().path, position);
                            }
                        }));
            }
            report.lines.addAll(byPartition.values());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading end offsets", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the end offsets of " + config.topics() + ": " + e.getMessage(), e);
        }
        return report;
    }

    public boolean consistent() {
        return lines.stream().noneMatch(Line::beyondEnd);
    }

    public String toText() {
        StringBuilder b = new StringBuilder("  positions recorded in the tables (next offset to read) vs. the topic\n");
        b.append(String.format("  %-28s %12s %12s   %s%n", "partition", "end offset", "lag", "tables"));
        for (Line line : lines) {
            b.append(String.format("  %-28s %,12d %,12d   %s%s%n", line.partition, line.endOffset, line.lag(),
                    line.tablePositions.isEmpty() ? "none recorded" : line.tablePositions,
                    line.beyondEnd() ? "   BEYOND THE END (recreated topic?)" : ""));
        }
        return b.toString();
    }
}
