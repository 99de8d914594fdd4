package io.exactlyonce.deploy.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one bounded run of one variant at one parallelism (see the README's "Performance"
 * section for each definition). Public fields: serialised as they are to JSON and CSV.
 */
public final class VariantResult {
    public String variant;
    public String description;
    public int parallelism;
    public long inputRecords;
    /** Rows in the output (records read for d). */
    public long rowsWritten;
    public long expectedRows;
    public boolean exact;
    public String outputCheck;
    public double wallSeconds;
    public double wallRecordsPerSecond;
    public double steadyRowsPerSecond;
    /** The steady-state row rate in input records: rows/s × input records / rows written. */
    public double steadyRecordsPerSecond;
    public double startupSeconds;
    public double cpuSeconds;
    public double cpuSecondsPerMillionRecords;
    public double peakHeapMb;
    public int commits;
    public int checkpoints;
    public double commitLatencyP50Ms = Double.NaN;
    public double commitLatencyP99Ms = Double.NaN;
    public int exitCode;
    public String log;
    /** Every checkpoint the runner saw (package-private: not part of the JSON). */
    List<CheckpointStat> checkpointHistory = List.of();

    /** The CSV columns, in order, with this result's values. */
    Map<String, Object> row() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("variant", variant);
        r.put("parallelism", parallelism);
        r.put("input_records", inputRecords);
        r.put("rows_written", rowsWritten);
        r.put("expected_rows", expectedRows);
        r.put("exact", exact);
        r.put("wall_s", wallSeconds);
        r.put("wall_records_per_s", wallRecordsPerSecond);
        r.put("steady_rows_per_s", steadyRowsPerSecond);
        r.put("steady_records_per_s", steadyRecordsPerSecond);
        r.put("startup_s", startupSeconds);
        r.put("cpu_s", cpuSeconds);
        r.put("cpu_s_per_million_records", cpuSecondsPerMillionRecords);
        r.put("peak_heap_mb", peakHeapMb);
        r.put("commits", commits);
        r.put("checkpoints", checkpoints);
        r.put("commit_latency_p50_ms", commitLatencyP50Ms);
        r.put("commit_latency_p99_ms", commitLatencyP99Ms);
        return r;
    }
}
