package io.exactlyonce.deploy.bench;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws the run's PNG charts with JFreeChart (headless): throughput per variant and parallelism,
 * latency and freshness percentiles of the streaming phase, and the state-scale time series.
 */
final class BenchCharts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private BenchCharts() {}

    static void throughput(List<VariantResult> results, Path file) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (VariantResult r : results) {
            String column = "(" + r.variant + ") p=" + r.parallelism;
            data.addValue(nanToNull(r.steadyRecordsPerSecond), "steady state", column);
            data.addValue(nanToNull(r.wallRecordsPerSecond), "command start to exit", column);
        }
        JFreeChart chart = ChartFactory.createBarChart(
                "Input records/s per variant and parallelism", "variant, parallelism", "records/s",
                data, PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    static void latency(List<StreamingResult> streaming, Path file) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (StreamingResult s : streaming) {
            String v = "(" + s.variant + ") p=" + s.parallelism;
            data.addValue(nanToNull(s.commitLatencyP50Ms), "p50", v + " commit latency");
            data.addValue(nanToNull(s.commitLatencyP99Ms), "p99", v + " commit latency");
            data.addValue(nanToNull(s.freshnessP50Ms), "p50", v + " freshness");
            data.addValue(nanToNull(s.freshnessP99Ms), "p99", v + " freshness");
        }
        JFreeChart chart = ChartFactory.createBarChart(
                "Streaming: commit latency and record freshness", "", "milliseconds",
                data, PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    /** State scale over time: state sizes, checkpoint duration, heap used. */
    static void stateScale(List<StateScaleScenario.Point> checkpoints, List<long[]> heap, long startMillis, Path file)
            throws IOException {
        XYSeries full = new XYSeries("state size (MB)");
        XYSeries increment = new XYSeries("checkpointed size (MB)");
        XYSeries duration = new XYSeries("checkpoint duration (ms)");
        for (StateScaleScenario.Point p : checkpoints) {
            double t = (p.triggerMillis() - startMillis) / 1000.0;
            full.add(t, p.stateBytes() / 1048576.0);
            increment.add(t, p.checkpointedBytes() / 1048576.0);
            duration.add(t, p.durationMillis());
        }
        XYSeries heapUsed = new XYSeries("heap used (MB)");
        for (long[] h : heap) {
            heapUsed.add((h[0] - startMillis) / 1000.0, h[1] / 1048576.0);
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("seconds since the job's start"));
        plot.add(xy(new XYSeriesCollection(full) {{ addSeries(increment); }}, "MB"));
        plot.add(xy(new XYSeriesCollection(duration), "ms"));
        plot.add(xy(new XYSeriesCollection(heapUsed), "MB"));
        JFreeChart chart = new JFreeChart("Dedup state scale (RocksDB, incremental checkpoints)",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, 800);
    }

    private static XYPlot xy(XYSeriesCollection data, String unit) {
        return new XYPlot(data, null, new NumberAxis(unit), new XYLineAndShapeRenderer(true, true));
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
