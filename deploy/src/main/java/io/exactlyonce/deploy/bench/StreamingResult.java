package io.exactlyonce.deploy.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of the streaming phase of one variant: the job unbounded while orders arrive at a
 * fixed rate. Commit latency per checkpoint (trigger → rows visible) and record freshness per row
 * (Kafka timestamp → rows visible), p50/p99, and how long after the last send the last row became
 * visible.
 */
public final class StreamingResult {
    public String variant;
    public int parallelism;
    public int offeredPerSecond;
    public int seconds;
    public long produced;
    public long rowsVisible;
    public boolean exact;
    public String outputCheck;
    public int checkpoints;
    public double commitLatencyP50Ms = Double.NaN;
    public double commitLatencyP99Ms = Double.NaN;
    public double freshnessP50Ms = Double.NaN;
    public double freshnessP99Ms = Double.NaN;
    public double lastRowVisibleAfterLastSendMs = Double.NaN;
    public double peakHeapMb;
    public String log;

    Map<String, Object> row() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("variant", variant);
        r.put("parallelism", parallelism);
        r.put("offered_per_s", offeredPerSecond);
        r.put("seconds", seconds);
        r.put("produced", produced);
        r.put("rows_visible", rowsVisible);
        r.put("exact", exact);
        r.put("checkpoints", checkpoints);
        r.put("commit_latency_p50_ms", commitLatencyP50Ms);
        r.put("commit_latency_p99_ms", commitLatencyP99Ms);
        r.put("freshness_p50_ms", freshnessP50Ms);
        r.put("freshness_p99_ms", freshnessP99Ms);
        r.put("last_row_visible_after_last_send_ms", lastRowVisibleAfterLastSendMs);
        r.put("peak_heap_mb", peakHeapMb);
        return r;
    }
}
