package io.exactlyonce.deploy.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * When rows became visible, per checkpoint and per row.
 *
 * <p><b>Commit latency</b> of a checkpoint: from its trigger (Flink REST) to its rows being
 * visible. Delta: the {@code commitInfo} timestamp of the version whose {@code txn} version is the
 * checkpoint id. FileSink: the latest first-seen time of the files made visible by that checkpoint,
 * i.e. of the files that appeared after its last acknowledgement and before the next checkpoint's.
 * Checkpoints that made nothing visible have no latency.
 *
 * <p><b>Freshness</b> of a row: from its Kafka timestamp (the producer's send time) to the time its
 * version or file became visible.
 */
final class Visibility {

    private Visibility() {}

    static List<Long> deltaCommitLatencies(List<DeltaLogCommits.Version> versions, List<CheckpointStat> checkpoints) {
        Map<Long, CheckpointStat> byId = checkpoints.stream()
                .collect(Collectors.toMap(CheckpointStat::id, Function.identity(), (x, y) -> y));
        List<Long> latencies = new ArrayList<>();
        for (DeltaLogCommits.Version v : versions) {
            CheckpointStat c = byId.get(v.txnVersion());
            if (!v.adds().isEmpty() && c != null && c.triggerMillis() > 0) {
                latencies.add(v.timestampMillis() - c.triggerMillis());
            }
        }
        return latencies;
    }

    static List<Long> fileCommitLatencies(List<FileSinkOutput.FinishedFile> files, List<CheckpointStat> checkpoints) {
        TreeMap<Long, CheckpointStat> byAck = new TreeMap<>();
        for (CheckpointStat c : checkpoints) {
            if (c.completed()) {
                byAck.put(c.latestAckMillis(), c);
            }
        }
        Map<Long, Long> lastVisible = new TreeMap<>();
        Map<Long, CheckpointStat> byId = new TreeMap<>();
        for (FileSinkOutput.FinishedFile f : files) {
            Map.Entry<Long, CheckpointStat> made = byAck.floorEntry(f.visibleMillis());
            if (made != null) {
                byId.put(made.getValue().id(), made.getValue());
                lastVisible.merge(made.getValue().id(), f.visibleMillis(), Math::max);
            }
        }
        List<Long> latencies = new ArrayList<>();
        lastVisible.forEach((id, visible) -> latencies.add(visible - byId.get(id).triggerMillis()));
        return latencies;
    }

    static List<Long> deltaFreshness(List<DeltaLogCommits.Version> versions) throws IOException {
        List<Long> freshness = new ArrayList<>();
        for (DeltaLogCommits.Version v : versions) {
            for (DeltaLogCommits.AddedFile f : v.adds()) {
                ParquetColumns.timestampMillis(f.path(), "_kafka_timestamp",
                        kafkaMillis -> freshness.add(v.timestampMillis() - kafkaMillis));
            }
        }
        return freshness;
    }

    static List<Long> fileFreshness(List<FileSinkOutput.FinishedFile> files) throws IOException {
        List<Long> freshness = new ArrayList<>();
        for (FileSinkOutput.FinishedFile f : files) {
            ParquetColumns.timestampMillis(f.path(), "_kafka_timestamp",
                    kafkaMillis -> freshness.add(f.visibleMillis() - kafkaMillis));
        }
        return freshness;
    }
}
