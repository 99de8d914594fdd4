package io.exactlyonce.job.stats;

import java.math.BigDecimal;

/**
 * Partial counts of one operator subtask for the records it handled between two checkpoint
 * barriers: rows that passed dedup, their amount sum and event-time range, duplicates dropped, dead
 * letters. Summed per checkpoint into one metrics-table row. A Flink POJO (Flink's POJO serializer,
 * no Kryo); event times are microseconds since epoch, null when no row passed.
 */
public class BatchStats {

    public long rows;
    public BigDecimal amountSum = BigDecimal.ZERO;
    public long duplicates;
    public long deadLetters;
    public Long minEventMicros;
    public Long maxEventMicros;

    public BatchStats() {}

    public boolean isEmpty() {
        return rows == 0 && duplicates == 0 && deadLetters == 0;
    }

    public void addRow(BigDecimal amount, long eventMicros) {
        rows++;
        if (amount != null) {
            amountSum = amountSum.add(amount);
        }
        minEventMicros = minEventMicros == null ? eventMicros : Math.min(minEventMicros, eventMicros);
        maxEventMicros = maxEventMicros == null ? eventMicros : Math.max(maxEventMicros, eventMicros);
    }

    public void add(BatchStats other) {
        rows += other.rows;
        amountSum = amountSum.add(other.amountSum);
        duplicates += other.duplicates;
        deadLetters += other.deadLetters;
        if (other.minEventMicros != null) {
            minEventMicros =
                    minEventMicros == null ? other.minEventMicros : Math.min(minEventMicros, other.minEventMicros);
        }
        if (other.maxEventMicros != null) {
            maxEventMicros =
                    maxEventMicros == null ? other.maxEventMicros : Math.max(maxEventMicros, other.maxEventMicros);
        }
    }

    @Override
    public String toString() {
        return "BatchStats{rows=" + rows + ", amountSum=" + amountSum + ", duplicates=" + duplicates
                + ", deadLetters=" + deadLetters + '}';
    }
}
