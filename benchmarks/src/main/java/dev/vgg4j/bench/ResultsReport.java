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
 * chart; a device backend (tornado) that ran gets its own columns, and the report names its device. The benchmarks run in JMH's sample mode, and the tables use the fastest sampled operation:
 * on a machine shared with other work that is the time of an undisturbed call, which is what an
 * idle machine's average approaches; the median is kept in the JSON.
 */
final class ResultsReport {
    /** FMA peak of one Zen 1 core with AVX2 (2 x 128-bit FMA pipes at ~2.1 GHz), the target. */
    static final double ZEN1_PEAK_GFLOPS_PER_CORE = 34.0;

    private static final String[] CPU_SERIES = {"reference 1T", "cpu 1T", "cpu 2T", "OpenBLAS 1T", "OpenBLAS 2T"};
    /** Backends whose GEMM runs on a device: one series each, no thread count. */
    private static final List<String> DEVICE_BACKENDS = List.of("tornado");
    /** Conv columns: reference and cpu always (as the suite runs them), device backends when they ran. */
    private static final List<String> CONV_BACKENDS = List.of("reference", "cpu");

    /** shape name -> series -> ms/op, in run order. */
    private final Map<String, Map<String, Double>> gemm = new LinkedHashMap<>();
    /** "layer/batch" -> backend -> ms/op. */
    private final Map<String, Map<String, Double>> conv = new LinkedHashMap<>();
    /** "backend, threads, batch, size" -> images per second. */
    private final Map<String, Double> training = new LinkedHashMap<>();
    /** The same for inference passes (eval mode). */
    private final Map<String, Double> inference = new LinkedHashMap<>();

    private final double peakPerCore;
    private PyTorchPeer.Outcome peer;
    private final List<String> devices;

    /** One benchmark result: the JMH benchmark name, its parameters and the fastest sampled call. */
    record Measurement(String benchmark, Map<String, String> params, double minMs) {
        static Measurement of(RunResult r) {
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : r.getParams().getParamsKeys()) {
                params.put(key, r.getParams().getParam(key));
            }
            return new Measurement(r.getParams().getBenchmark(), params, r.getPrimaryResult().getStatistics().getMin());
        }

        String param(String key) {
            String value = params.get(key);
            if (value == null) {
                throw new IllegalArgumentException(benchmark + " has no parameter '" + key + "': " + params.keySet());
            }
            return value;
        }
    }

    /**
     * {@code peakPerCore}: the machine's FMA peak of one core in GFLOP/s, for the "of peak" columns;
     * {@code devices}: a line per device backend (where it ran, or why it was skipped).
     */
    ResultsReport(List<Measurement> results, double peakPerCore, List<String> devices) {
        this.peakPerCore = peakPerCore;
        this.devices = List.copyOf(devices);
        for (Measurement r : results) {
            String bench = r.benchmark();
            double ms = r.minMs();
            if (bench.endsWith("TrainingStepBenchmark.step") || bench.endsWith("InferenceBenchmark.forward")) {
                int batch = Integer.parseInt(r.param("batch"));
                (bench.endsWith("step") ? training : inference).put(modelKey(r.param("backend"),
                        Integer.parseInt(r.param("threads")), batch, Integer.parseInt(r.param("imageSize"))),
                        batch / (ms / 1000));
            } else if (bench.endsWith("ConvLayerBenchmark.forwardAndBackward")) {
                String key = r.param("layer") + "/b" + r.param("batch");
                conv.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.param("backend"), ms);
            } else {
                gemm.computeIfAbsent(r.param("shape"), k -> new LinkedHashMap<>()).put(gemmSeries(r), ms);
            }
        }
    }

    private static String modelKey(String backend, int threads, int batch, int size) {
        return backend + " | " + threads + " | " + batch + " | " + size + "x" + size;
    }

    /** The PyTorch peer's results (or why it was skipped), compared with the cpu backend's in {@link #markdown}. */
    ResultsReport withPeer(PyTorchPeer.Outcome outcome) {
        this.peer = outcome;
        return this;
    }

    /** "cpu 2T", "OpenBLAS 1T"; a device backend has one series whatever its host threads. */
    private static String gemmSeries(Measurement r) {
        if (r.benchmark().endsWith("OpenBlasGemmBenchmark.gemm")) {
            return "OpenBLAS " + r.param("threads") + "T";
        }
        String backend = r.param("backend");
        return DEVICE_BACKENDS.contains(backend) ? backend : backend + " " + r.param("threads") + "T";
    }

    /** The GEMM table's series, in column order: the CPU ones always, device backends when they ran. */
    private List<String> gemmSeries() {
        return withDevicesThatRan(List.of(CPU_SERIES), gemm);
    }

    /** The conv table's backends, in column order. */
    private List<String> convBackends() {
        return withDevicesThatRan(CONV_BACKENDS, conv);
    }

    /** {@code always}, then each device backend that has a result in {@code table} (row -> column -> ms). */
    private static List<String> withDevicesThatRan(List<String> always, Map<String, Map<String, Double>> table) {
        List<String> columns = new ArrayList<>(always);
        for (String device : DEVICE_BACKENDS) {
            if (table.values().stream().anyMatch(row -> row.containsKey(device))) {
                columns.add(device);
            }
        }
        return columns;
    }

    private static double gflops(double flops, Double ms) {
        return ms == null ? Double.NaN : flops / (ms * 1e6);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        if (!devices.isEmpty()) {
            sb.append("### Devices\n\n");
            devices.forEach(d -> sb.append("- ").append(d).append('\n'));
            sb.append('\n');
        }
        List<String> series = gemmSeries();
        sb.append("### GEMM, GFLOP/s of the fastest sampled call (higher is better)\n\n");
        sb.append("| shape | M x N x K | ").append(String.join(" | ", series))
                .append(" | cpu/OpenBLAS 1T | cpu/OpenBLAS 2T | cpu 2T/1T | cpu 1T of peak | cpu 2T of peak |\n");
        String peakNote = "\nPeak taken as " + fmt(peakPerCore) + " GFLOP/s per core"
                + (peakPerCore == ZEN1_PEAK_GFLOPS_PER_CORE ? " (a Zen 1 core with AVX2, the target machine)" : "")
                + ".\n";
        sb.append("|---|---|").append("---:|".repeat(series.size() + 5)).append('\n');
        for (var e : gemm.entrySet()) {
            GemmShape g = VggLayers.gemm(e.getKey());
            Map<String, Double> ms = e.getValue();
            sb.append("| ").append(g.name()).append(" | ").append(g.dims());
            for (String s : series) {
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
        List<String> convBackends = convBackends();
        sb.append("| layer / batch |");
        convBackends.forEach(b -> sb.append(' ').append(b).append(" ms |"));
        convBackends.forEach(b -> sb.append(' ').append(b).append(" GFLOP/s |"));
        for (int i = 1; i < convBackends.size(); i++) {
            sb.append(' ').append(convBackends.get(i)).append(" / ").append(convBackends.get(i - 1)).append(" |");
        }
        sb.append("\n|---|").append("---:|".repeat(3 * convBackends.size() - 1)).append('\n');
        for (var e : conv.entrySet()) {
            String[] parts = e.getKey().split("/b");
            double flops = VggLayers.layer(parts[0]).trainingFlops(Integer.parseInt(parts[1]));
            Map<String, Double> ms = e.getValue();
            sb.append("| ").append(e.getKey());
            convBackends.forEach(b -> sb.append(" | ").append(fmt(ms.getOrDefault(b, Double.NaN))));
            convBackends.forEach(b -> sb.append(" | ").append(fmt(gflops(flops, ms.get(b)))));
            for (int i = 1; i < convBackends.size(); i++) {
                Double before = ms.get(convBackends.get(i - 1));
                Double now = ms.get(convBackends.get(i));
                sb.append(" | ").append(ratio(before != null && now != null ? before / now : Double.NaN));
            }
            sb.append(" |\n");
        }
        sb.append("\n### VGG16-BN training step (forward, cross-entropy, backward, Adam), fastest sampled step\n\n");
        appendImagesPerSecond(sb, training);
        if (!inference.isEmpty()) {
            sb.append("\n### VGG16-BN inference pass (eval mode, logits of one batch), fastest sampled pass\n\n");
            appendImagesPerSecond(sb, inference);
        }
        if (peer != null) {
            appendPeer(sb);
        }
        return sb.toString();
    }

    private static void appendImagesPerSecond(StringBuilder sb, Map<String, Double> rows) {
        sb.append("| backend | threads | batch | input | images/s |\n|---|---:|---:|---|---:|\n");
        rows.forEach((key, ips) -> sb.append("| ").append(key).append(" | ").append(fmt(ips)).append(" |\n"));
    }

    /** vgg4j's cpu backend against PyTorch, same threads, batch and size, fastest call of each. */
    private void appendPeer(StringBuilder sb) {
        sb.append("\n### cpu backend vs PyTorch (fp32, same run), fastest sampled call of each\n\n- ")
                .append(peer.line()).append("\n\n");
        if (peer.results().isEmpty()) {
            return;
        }
        sb.append("| pass | threads | batch | input | cpu images/s | PyTorch images/s | cpu/PyTorch |\n")
                .append("|---|---:|---:|---|---:|---:|---:|\n");
        for (PyTorchPeer.Result r : peer.results()) {
            boolean train = r.kind().equals("train");
            Double ours = (train ? training : inference).get(modelKey("cpu", r.threads(), r.batch(), r.size()));
            double vgg4j = ours == null ? Double.NaN : ours;
            sb.append("| ").append(train ? "training step" : "inference").append(" | ").append(r.threads())
                    .append(" | ").append(r.batch()).append(" | ").append(r.size()).append('x').append(r.size())
                    .append(" | ").append(fmt(vgg4j)).append(" | ").append(fmt(r.imagesPerSecond()))
                    .append(" | ").append(ratio(vgg4j / r.imagesPerSecond())).append(" |\n");
        }
    }

    void writeChart(Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (var e : gemm.entrySet()) {
            GemmShape g = VggLayers.gemm(e.getKey());
            for (String s : gemmSeries()) {
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
