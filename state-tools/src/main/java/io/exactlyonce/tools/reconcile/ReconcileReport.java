package io.exactlyonce.tools.reconcile;

import io.exactlyonce.delta.sink.read.DeltaTableScanner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the orders and dead-letter tables with a {@link KafkaTopicSnapshot} (rows whose
 * {@code _kafka_topic} is another topic, written by other jobs sharing the table, are counted apart): records in Kafka,
 * distinct ids, rows, dead letters, missing ids, duplicated ids, rows whose lineage points at a
 * Kafka record that does not carry their id, and dead letters that do not point at a malformed
 * record. {@link #ok()} only when nothing is missing, duplicated or extra, every lineage matches
 * and the dead letters are exactly the malformed records.
 */
public final class ReconcileReport {

    public long kafkaRecords;
    public long distinctIds;
    public long malformedInKafka;
    public long rows;
    public long deadLetters;
    public final List<String> missing = new ArrayList<>();
    public final List<String> duplicated = new ArrayList<>();
    public final List<String> extra = new ArrayList<>();
    public long lineageMismatches;
    public long duplicatedPositions;
    public long deadLetterMismatches;

    /** Rows of other topics (other jobs sharing the table); not part of the comparison. */
    public long otherTopicRows;

    public static ReconcileReport of(
            KafkaTopicSnapshot kafka, String topic, String tablePath, String deadLetterPath) {
        ReconcileReport report = new ReconcileReport();
        report.kafkaRecords = kafka.records;
        Set<String> expected = new HashSet<>(kafka.idAt.values());
        report.distinctIds = expected.size();
        report.malformedInKafka = kafka.malformedAt.size();

        Map<String, Integer> counts = new HashMap<>();
        Set<Long> positions = new HashSet<>();
        new DeltaTableScanner(tablePath, Map.of())
                .scan(List.of("order_id", "_kafka_partition", "_kafka_offset", "_kafka_topic"), row -> {
                    if (!topic.equals(row.getString(3))) {
                        report.otherTopicRows++;
                        return;
                    }
                    report.rows++;
                    String id = row.getString(0);
                    counts.merge(id, 1, Integer::sum);
                    long at = KafkaTopicSnapshot.position(row.getInt(1), row.getLong(2));
                    if (!id.equals(kafka.idAt.get(at))) {
                        report.lineageMismatches++;
                    }
                    if (!positions.add(at)) {
                        report.duplicatedPositions++;
                    }
                });
        Set<Long> deadPositions = new HashSet<>();
        new DeltaTableScanner(deadLetterPath, Map.of())
                .scan(List.of("_kafka_partition", "_kafka_offset", "_kafka_topic"), row -> {
                    if (!topic.equals(row.getString(2))) {
                        return;
                    }
                    report.deadLetters++;
                    long at = KafkaTopicSnapshot.position(row.getInt(0), row.getLong(1));
                    if (!kafka.malformedAt.contains(at) || !deadPositions.add(at)) {
                        report.deadLetterMismatches++;
                    }
                });
        report.deadLetterMismatches += kafka.malformedAt.size() - deadPositions.size();
        for (String id : new TreeSet<>(expected)) {
            if (!counts.containsKey(id)) {
                report.missing.add(id);
            }
        }
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(counts).entrySet()) {
            if (e.getValue() > 1) {
                report.duplicated.add(e.getKey());
            }
            if (!expected.contains(e.getKey())) {
                report.extra.add(e.getKey());
            }
        }
        return report;
    }

    /** Nothing missing or duplicated: the exactly-once promise (the tool's exit code). */
    public boolean exactlyOnce() {
        return missing.isEmpty() && duplicated.isEmpty();
    }

    /** Exactly once, and every other check (extra ids, lineage, dead letters) holds too. */
    public boolean ok() {
        return exactlyOnce() && extra.isEmpty() && lineageMismatches == 0 && duplicatedPositions == 0
                && deadLetterMismatches == 0 && rows == distinctIds;
    }

    public String toText(String tablePath, String deadLetterPath) {
        return String.join(
                "\n",
                "Reconciliation",
                String.format("  records in Kafka        %,12d", kafkaRecords),
                String.format("  distinct order ids      %,12d", distinctIds),
                String.format("  malformed in Kafka      %,12d", malformedInKafka),
                String.format("  rows in the table       %,12d", rows),
                String.format("  rows of other topics    %,12d", otherTopicRows),
                String.format("  dead letters            %,12d", deadLetters),
                String.format("  missing                 %,12d", missing.size()) + head(missing),
                String.format("  duplicated              %,12d", duplicated.size()) + head(duplicated),
                String.format("  extra                   %,12d", extra.size()) + head(extra),
                String.format("  lineage mismatches      %,12d", lineageMismatches + duplicatedPositions),
                String.format("  dead-letter mismatches  %,12d", deadLetterMismatches),
                "  result                  " + (ok() ? "EXACTLY ONCE" : exactlyOnce() ? "EXACTLY ONCE, OTHER MISMATCHES" : "MISMATCH"),
                "  orders table            " + tablePath,
                "  dead-letter table       " + deadLetterPath);
    }

    public String toJson() {
        return "{\"kafka_records\":" + kafkaRecords + ",\"distinct_ids\":" + distinctIds
                + ",\"malformed_in_kafka\":" + malformedInKafka + ",\"rows\":" + rows
                + ",\"dead_letters\":" + deadLetters + ",\"missing\":" + missing.size()
                + ",\"duplicated\":" + duplicated.size() + ",\"extra\":" + extra.size()
                + ",\"lineage_mismatches\":" + (lineageMismatches + duplicatedPositions)
                + ",\"dead_letter_mismatches\":" + deadLetterMismatches
                + ",\"missing_sample\":" + jsonArray(missing) + ",\"duplicated_sample\":" + jsonArray(duplicated)
                + ",\"exactly_once\":" + exactlyOnce() + ",\"ok\":" + ok() + "}";
    }

    private static String head(List<String> ids) {
        if (ids.isEmpty()) {
            return "";
        }
        return " " + ids.subList(0, Math.min(5, ids.size())) + (ids.size() > 5 ? " ..." : "");
    }

    private static String jsonArray(List<String> ids) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(20, ids.size()); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(ids.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append(']').toString();
    }
}
