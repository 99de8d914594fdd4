package io.exactlyonce.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --scenario state-scale --keys N}: the job (variant a's options, RocksDB with incremental
 * checkpoints) over N distinct orders (no duplicates, nothing malformed), so dedup state grows to N
 * keys. Records per completed checkpoint (Flink REST): full state size, the size that checkpoint
 * uploaded, its duration; and the child's heap used once a second. Writes {@code state-scale.csv},
 * {@code state-scale-heap.csv} and {@code state-scale.png}. Expected: checkpointed size and duration
 * flat (incremental) while the state grows; heap bounded by -Xmx, not by N.
 */
final class StateScaleScenario {

    /** One completed checkpoint. */
    record Point(long id, long triggerMillis, long durationMillis, long checkpointedBytes, long stateBytes) {}

    private StateScaleScenario() {}

    static void run(BenchOptions options, KafkaTopics topics, Path workDir, Path resultDir, PrintStream out)
            throws Exception {
        String topic = "state-scale";
        topics.create(topic);
        OrderLoader.Loaded loaded = new OrderLoader(topics.bootstrapServers(), topic, topics.partitions())
                .load(options.keys(), 0, 0, options.seed(), "k");
        out.printf("Loaded %,d distinct orders in %.1f s%n", loaded.records(), loaded.millis() / 1000.0);
        int p = options.parallelisms().get(options.parallelisms().size() - 1);
        VariantResult r = new VariantRun(options, topics.bootstrapServers(), workDir)
                .bounded(Variant.A, p, topic, loaded, "k");
        List<Point> points = new ArrayList<>();
        for (CheckpointStat c : r.checkpointHistory) {
            if (c.completed()) {
                points.add(new Point(c.id(), c.triggerMillis(), c.durationMillis(), c.checkpointedBytes(), c.stateBytes()));
            }
        }
        JsonNode report = new ObjectMapper().readTree(workDir.resolve("a-p" + p).resolve("report.json").toFile());
        List<long[]> heap = new ArrayList<>();
        for (JsonNode h : report.path("heapSeries")) {
            heap.add(new long[] {h.get(0).asLong(), h.get(1).asLong()});
        }
        long start = report.path("jvmStartMillis").asLong();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Point c : points) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seconds", (c.triggerMillis() - start) / 1000.0);
            row.put("checkpoint_id", c.id());
            row.put("duration_ms", c.durationMillis());
            row.put("checkpointed_bytes", c.checkpointedBytes());
            row.put("state_bytes", c.stateBytes());
            rows.add(row);
        }
        BenchReport.writeCsv(resultDir.resolve("state-scale.csv"), rows);
        List<Map<String, Object>> heapRows = new ArrayList<>();
        for (long[] h : heap) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seconds", (h[0] - start) / 1000.0);
            row.put("heap_used_bytes", h[1]);
            heapRows.add(row);
        }
        BenchReport.writeCsv(resultDir.resolve("state-scale-heap.csv"), heapRows);
        BenchCharts.stateScale(points, heap, start, resultDir.resolve("state-scale.png"));
        out.printf("State scale: %,d keys, %d checkpoints, exact=%s (%s), peak heap %.0f MB, %.1f s%n",
                loaded.records(), points.size(), r.exact, r.outputCheck, r.peakHeapMb, r.wallSeconds);
        if (!r.exact) {
            throw new IllegalStateException("The state-scale run's table is not exact: " + r.outputCheck);
        }
    }
}
