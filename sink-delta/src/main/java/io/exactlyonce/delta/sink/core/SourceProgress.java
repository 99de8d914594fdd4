package io.exactlyonce.delta.sink.core;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where the job's input stood at a checkpoint, as the sink commits it with that checkpoint's data:
 * for each source split (a key chosen by the job, for example a Kafka topic partition) the
 * position to resume reading from. The sink knows nothing about the source; it only keeps, merges
 * and commits these numbers atomically with the rows they cover.
 *
 * <p>Positions only move forward: {@link #merge} keeps the larger position per key, so updates
 * arriving from parallel upstream subtasks, or twice after a replay, cannot move a split back.
 * Immutable.
 */
public final class SourceProgress implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private static final SourceProgress EMPTY = new SourceProgress(new TreeMap<>());

    private final Map<String, Long> positions;

    private SourceProgress(TreeMap<String, Long> positions) {
        this.positions = Collections.unmodifiableMap(positions);
    }

    public static SourceProgress empty() {
        return EMPTY;
    }

    public static SourceProgress of(Map<String, Long> positions) {
        TreeMap<String, Long> copy = new TreeMap<>();
        positions.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
        return new SourceProgress(copy);
    }

    /** Split key to the position to resume from; sorted by key. */
    public Map<String, Long> positions() {
        return positions;
    }

    public boolean isEmpty() {
        return positions.isEmpty();
    }

    /** This progress with {@code key} moved to {@code position} unless it is already further. */
    public SourceProgress advance(String key, long position) {
        Long current = positions.get(key);
        if (current != null && current >= position) {
            return this;
        }
        TreeMap<String, Long> copy = new TreeMap<>(positions);
        copy.put(key, position);
        return new SourceProgress(copy);
    }

    /** The larger position of both, per key. */
    public SourceProgress merge(SourceProgress other) {
        SourceProgress result = this;
        for (Map.Entry<String, Long> e : other.positions.entrySet()) {
            result = result.advance(e.getKey(), e.getValue());
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceProgress && positions.equals(((SourceProgress) o).positions);
    }

    @Override
    public int hashCode() {
        return positions.hashCode();
    }

    @Override
    public String toString() {
        return "SourceProgress" + positions;
    }
}
