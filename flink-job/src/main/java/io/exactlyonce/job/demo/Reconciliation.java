package io.exactlyonce.job.demo;

import io.exactlyonce.delta.sink.read.DeltaTableScanner;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the orders and dead-letter tables with what was produced: rows, distinct ids, missing
 * ids (produced, not in the table), duplicated ids (in the table more than once), extra ids (in the
 * table, never produced) and dead letters. {@link #ok()} only when nothing is missing, duplicated or
 * extra and every malformed record is a dead letter.
 */
public final class Reconciliation {

    public final long produced;
    public final long expectedDistinct;
    public final long expectedDeadLetters;
    public final long rows;
    public final long distinctInTable;
    public final long missing;
    public final long duplicated;
    public final long extra;
    public final long deadLetters;

    private Reconciliation(
            long produced, long expectedDistinct, long expectedDeadLetters, long rows, long distinctInTable,
            long missing, long duplicated, long extra, long deadLetters) {
        this.produced = produced;
        this.expectedDistinct = expectedDistinct;
        this.expectedDeadLetters = expectedDeadLetters;
        this.rows = rows;
        this.distinctInTable = distinctInTable;
        this.missing = missing;
        this.duplicated = duplicated;
        this.extra = extra;
        this.deadLetters = deadLetters;
    }

    public static Reconciliation of(OrderGenerator.Produced truth, String tablePath, String deadLetterPath) {
        Map<String, Integer> counts = new HashMap<>();
        long[] rows = {0};
        new DeltaTableScanner(tablePath, Map.of())
                .scan(List.of("order_id"), row -> {
                    rows[0]++;
                    counts.merge(row.getString(0), 1, Integer::sum);
                });
        long[] deadLetters = {0};
        new DeltaTableScanner(deadLetterPath, Map.of()).scan(List.of("error"), row -> deadLetters[0]++);
        Set<String> missing = new HashSet<>(truth.distinctIds);
        missing.removeAll(counts.keySet());
        long duplicated = counts.values().stream().filter(c -> c > 1).count();
        long extra = counts.keySet().stream().filter(id -> !truth.distinctIds.contains(id)).count();
        return new Reconciliation(
                truth.records, truth.distinctIds.size(), truth.malformed.size(), rows[0], counts.size(),
                missing.size(), duplicated, extra, deadLetters[0]);
    }

    public boolean ok() {
        return missing == 0 && duplicated == 0 && extra == 0 && rows == expectedDistinct
                && deadLetters == expectedDeadLetters;
    }

    public String report(String tablePath, String deadLetterPath) {
        return String.join(
                "\n",
                "Reconciliation",
                String.format("  produced records      %,12d", produced),
                String.format("  distinct order ids    %,12d", expectedDistinct),
                String.format("  rows in the table     %,12d", rows),
                String.format("  distinct in the table %,12d", distinctInTable),
                String.format("  dead letters          %,12d   (malformed produced: %,d)", deadLetters, expectedDeadLetters),
                String.format("  missing               %,12d", missing),
                String.format("  duplicated            %,12d", duplicated),
                String.format("  extra                 %,12d", extra),
                "  result                " + (ok() ? "EXACTLY ONCE" : "MISMATCH"),
                "  orders table          " + tablePath,
                "  dead-letter table     " + deadLetterPath);
    }
}
