package dev.vgg4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns one suite run into a Markdown table (GFLOP/s, ratio to OpenBLAS, ratio to peak) and a bar
 * chart. The benchmarks run in JMH's sample mode, and the tables use the fastest sampled operation:
 * on a machine shared with other work that is the time of an undisturbed call, which is what an
 * idle machine's average approaches; the median is kept in the JSON.
 */
final class ResultsReport {
    /** FMA peak of one Zen 1 core with AVX2 (2 x 128-bit FMA pipes at ~2.1 GHz), the target. */
    static final double ZEN1_PEAK_GFLOPS_PER_CORE = 34.0;

    private static final String[] SERIES = {"reference 1T", "cpu 1T", "cpu 2T", "OpenBLAS 1T", "OpenBLAS 2T"};

    /** shape name -> series -> ms/op, in run order. */
    private final Map<String, Map<String, Double>> gemm = new LinkedHashMap<>();
    /** "layer/batch" -> backend -> ms/op. */
    private final Map<String, Map<String, Double>> conv = new LinkedHashMap<>();
    /** "backend, threads, batch, size" -> images per second. */
    private final Map<String, Double> training = new LinkedHashMap<>();

    private final double peakPerCore;

    /** {@code peakPerCore}: the machine's FMA peak of one core in GFLOP/s, for the "of peak" columns. */
    ResultsReport(List<RunResult> results, double peakPerCore) {
        this.peakPerCore = peakPerCore;
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            double ms = r.getPrimaryResult().getStatistics().getMin();
            if (bench.endsWith("TrainingStepBenchmark.step")) {
                int batch = Integer.parseInt(r.getParams().getParam("batch"));
                String size = r.getParams().getParam("imageSize");
                training.put(r.getParams().getParam("backend") + " | " + r.getParams().getParam("threads") + " | "
                        + batch + " | " + size + "x" + size, batch / (ms / 1000));
            } else if (bench.endsWith("ConvLayerBenchmark.forwardAndBackward")) {
                String key = r.getParams().getParam("layer") + "/b" + r.getParams().getParam("batch");
                conv.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.getParams().getParam("backend"), ms);
            } else {
                String who = bench.endsWith("OpenBlasGemmBenchmark.gemm") ? "OpenBLAS" : r.getParams().getParam("backend");
                String series = who + " " + r.getParams().getParam("threads") + "T";
                gemm.computeIfAbsent(r.getParams().getParam("shape"), k -> new LinkedHashMap<>()).put(series, ms);
            }
        }
    }

    private static double gflops(double flops, Double ms) {
        return ms == null ? Double.NaN : flops / (ms * 1e6);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("### GEMM, GFLOP/s of the fastest sampled call (higher is better)\n\n");
        sb.append("| shape | M x N x K | ").append(String.join(" | ", SERIES))
                .append(" | cpu/OpenBLAS 1T | cpu/OpenBLAS 2T | cpu 2T/1T | cpu 1T of peak | cpu 2T of peak |\n");
        String peakNote = "\nPeak taken as " + fmt(peakPerCore) + " GFLOP/s per core"
                + (peakPerCore == ZEN1_PEAK_GFLOPS_PER_CORE ? " (a Zen 1 core with AVX2, the target machine)" : "")
                + ".\n";
        sb.append("|---|---|").append("---:|".repeat(SERIES.length + 5)).append('\n');
        for (var e : gemm.entrySet()) {
            GemmShape g = VggLayers.gemm(e.getKey());
            Map<String, Double> ms = e.getValue();
            sb.append("| ").append(g.name()).append(" | ").append(g.dims());
            for (String s : SERIES) {
                sb.append(" | ").append(fmt(gflops(g.flops(), ms.get(s))));
            }
            double cpu1 = gflops(g.flops(), ms.get("cpu 1T"));
            double cpu2 = gflops(g.flops(), ms.get("cpu 2T"));
            sb.append(" | ").append(ratio(cpu1 / gflops(g.flops(), ms.get("OpenBLAS 1T"))));
            sb.append(" | ").append(ratio(cpu2 / gflops(g.flops(), ms.get("OpenBLAS 2T"))));
            sb.append(" | ").append(ratio(cpu2 / cpu1));
            sb.append(" | ").append(percent(cpu1 / peakPerCore));
            sb.append(" | ").append(percent(cpu2 / (2 * peakPerCore))).append(" |\n");
        }
        sb.append(peakNote);
        sb.append("\n### Conv layer forward + backward-data + backward-weight (3x3, stride 1, pad 1), fastest sampled call\n\n");
        sb.append("| layer / batch | reference ms | cpu ms | reference GFLOP/s | cpu GFLOP/s | cpu / reference |\n");
        sb.append("|---|---:|---:|---:|---:|---:|\n");
        for (var e : conv.entrySet()) {
            String[] parts = e.getKey().split("/b");
            double flops = VggLayers.layer(parts[0]).trainingFlops(Integer.parseInt(parts[1]));
            Double ref = e.getValue().get("reference");
            Double cpu = e.getValue().get("cpu");
            sb.append("| ").append(e.getKey()).append(" | ").append(fmt(ref == null ? Double.NaN : ref))
                    .append(" | ").append(fmt(cpu == null ? Double.NaN : cpu))
                    .append(" | ").append(fmt(gflops(flops, ref))).append(" | ").append(fmt(gflops(flops, cpu)))
                    .append(" | ").append(ratio(ref != null && cpu != null ? ref / cpu : Double.NaN)).append(" |\n");
        }
        sb.append("\n### VGG16-BN training step (forward, cross-entropy, backward, Adam), fastest sampled step\n\n");
        sb.append("| backend | threads | batch | input | images/s |\n|---|---:|---:|---|---:|\n");
        for (var e : training.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(fmt(e.getValue())).append(" |\n");
        }
        return sb.toString();
    }

    void writeChart(Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (var e : gemm.entrySet()) {
            GemmShape g = VggLayers.gemm(e.getKey());
            for (String s : SERIES) {
                Double ms = e.getValue().get(s);
                if (ms != null) {
                    data.addValue(gflops(g.flops(), ms), s, g.name());
                }
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("vgg4j GEMM vs OpenBLAS", "shape", "GFLOP/s", data,
                PlotOrientation.HORIZONTAL, true, false, false);
        List<String> rows = new ArrayList<>(gemm.keySet());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 200 + 60 * rows.size());
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }
}
