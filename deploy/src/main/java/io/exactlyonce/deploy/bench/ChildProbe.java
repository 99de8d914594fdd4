package io.exactlyonce.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a benchmark child JVM from inside: heap used, sampled every 100 ms by a daemon thread
 * (its maximum, and one sample per second as a time series), the process CPU time and the JVM's
 * start time. {@link #writeReport} writes them with the child's own figures as JSON for the runner.
 * Sampling costs one MXBean call per 100 ms; nothing touches the job's records.
 */
final class ChildProbe {

    private static final long SAMPLE_MS = 100;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<long[]> heapSeries = new ArrayList<>();
    private volatile long peakHeap;
    private final Thread sampler;

    private ChildProbe() {
        sampler = new Thread(this::sample, "bench-heap-sampler");
        sampler.setDaemon(true);
    }

    static ChildProbe start() {
        ChildProbe probe = new ChildProbe();
        probe.sampler.start();
        return probe;
    }

    private void sample() {
        long lastSeries = 0;
        while (!Thread.currentThread().isInterrupted()) {
            long used = memory.getHeapMemoryUsage().getUsed();
            long now = System.currentTimeMillis();
            if (used > peakHeap) {
                peakHeap = used;
            }
            if (now - lastSeries >= 1000) {
                synchronized (heapSeries) {
                    heapSeries.add(new long[] {now, used});
                }
                lastSeries = now;
            }
            try {
                Thread.sleep(SAMPLE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Writes the measurements and {@code extra} (the child's own figures) to {@code report}. */
    void writeReport(Path report, String status, Map<String, Object> extra) throws IOException {
        sampler.interrupt();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", status);
        json.put("jvmStartMillis", ManagementFactory.getRuntimeMXBean().getStartTime());
        json.put("endMillis", System.currentTimeMillis());
        json.put("cpuNanos", processCpuNanos());
        json.put("peakHeapBytes", peakHeap);
        synchronized (heapSeries) {
            json.put("heapSeries", new ArrayList<>(heapSeries));
        }
        json.putAll(extra);
        Path tmp = report.resolveSibling(report.getFileName() + ".tmp");
        new ObjectMapper().writeValue(tmp.toFile(), json);
        Files.move(tmp, report, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }
}
