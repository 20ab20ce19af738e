package dev.vgg4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsReportTest {
    private static final String GEMM = "dev.vgg4j.bench.GemmBenchmark.gemm";
    private static final String CONV = "dev.vgg4j.bench.ConvLayerBenchmark.forwardAndBackward";
    private static final String STEP = "dev.vgg4j.bench.TrainingStepBenchmark.step";

    private static List<ResultsReport.Measurement> cpuRun() {
        return List.of(
                new ResultsReport.Measurement(GEMM, Map.of("backend", "cpu", "threads", "1", "shape", "square/256"), 2.0),
                new ResultsReport.Measurement(CONV, Map.of("backend", "cpu", "threads", "2", "layer", "conv5_2@32",
                        "batch", "2"), 4.0),
                new ResultsReport.Measurement(STEP, Map.of("backend", "cpu", "threads", "2", "batch", "4",
                        "imageSize", "32"), 100.0));
    }

    private static List<ResultsReport.Measurement> withTornado() {
        List<ResultsReport.Measurement> all = new ArrayList<>(cpuRun());
        all.add(new ResultsReport.Measurement(GEMM, Map.of("backend", "tornado", "threads", "1", "shape", "square/256"), 0.5));
        all.add(new ResultsReport.Measurement(CONV, Map.of("backend", "tornado", "threads", "1", "layer", "conv5_2@32",
                "batch", "2"), 1.0));
        all.add(new ResultsReport.Measurement(STEP, Map.of("backend", "tornado", "threads", "1", "batch", "4",
                "imageSize", "32"), 50.0));
        return all;
    }

    private static String line(String markdown, String start) {
        return markdown.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in\n" + markdown));
    }

    private static List<String> cells(String row) {
        return List.of(row.substring(2, row.length() - 2).split(" \\| "));
    }

    @Test
    void withoutTornadoTheTablesKeepTheirCpuColumns() {
        String md = new ResultsReport(cpuRun(), 34, List.of("tornado: skipped (no TornadoVM)")).markdown();
        assertFalse(line(md, "| shape |").contains("tornado"), md);
        assertEquals("| layer / batch | reference ms | cpu ms | reference GFLOP/s | cpu GFLOP/s | cpu / reference |",
                line(md, "| layer / batch |"));
        assertTrue(md.contains("- tornado: skipped (no TornadoVM)"), md);
    }

    @Test
    void tornadoGetsAGemmSeriesAndConvColumnsAgainstCpu() {
        String md = new ResultsReport(withTornado(), 34, List.of("tornado: Portable Computing Language")).markdown();
        List<String> header = cells(line(md, "| shape |"));
        List<String> row = cells(line(md, "| square/256 |"));
        assertEquals(header.size(), row.size(), md);
        GemmShape g = VggLayers.gemm("square/256");
        double tornadoGflops = g.flops() / (0.5 * 1e6);
        assertEquals(tornadoGflops, Double.parseDouble(row.get(header.indexOf("tornado"))), 0.5);
        assertEquals(g.flops() / (2.0 * 1e6), Double.parseDouble(row.get(header.indexOf("cpu 1T"))), 0.5);

        List<String> convHeader = cells(line(md, "| layer / batch |"));
        List<String> convRow = cells(line(md, "| conv5_2@32/b2 |"));
        assertEquals(convHeader.size(), convRow.size(), md);
        assertEquals("1.0", convRow.get(convHeader.indexOf("tornado ms")));
        assertEquals("4.00x", convRow.get(convHeader.indexOf("tornado / cpu")));
        assertTrue(md.contains("- tornado: Portable Computing Language"), md);
    }

    @Test
    void trainingStepsListTornadoBesideCpuInImagesPerSecond() {
        String md = new ResultsReport(withTornado(), 34, List.of()).markdown();
        assertEquals("| tornado | 1 | 4 | 32x32 | 80.0 |", line(md, "| tornado |"));
        assertEquals("| cpu | 2 | 4 | 32x32 | 40.0 |", line(md, "| cpu |"));
        assertFalse(md.contains("### Devices"), md);
    }

    @Test
    void aMissingParameterNamesTheBenchmarkAndWhatItHas() {
        var m = new ResultsReport.Measurement(STEP, Map.of("backend", "cpu"), 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResultsReport(List.of(m), 34, List.of()));
        assertTrue(e.getMessage().contains("TrainingStepBenchmark.step has no parameter 'batch'"), e.getMessage());
    }

    @Test
    void thePeerSectionDividesTheCpuImagesPerSecondByPyTorchs() {
        String script = """
                {"case": "train", "batch": 4, "size": 32, "threads": 2, "ms": 60.0, "best_ms": 50.0, "images_per_s": 66.7, "torch": "2.13.0+cpu", "backend": "AVX512"}
                {"case": "infer", "batch": 4, "size": 32, "threads": 2, "ms": 30.0, "best_ms": 25.0, "images_per_s": 133.3, "torch": "2.13.0+cpu", "backend": "AVX512"}
                """;
        List<PyTorchPeer.Result> peer = PyTorchPeer.parse(script);
        assertEquals(2, peer.size());
        assertEquals(80.0, peer.getFirst().imagesPerSecond(), 1e-9);
        List<ResultsReport.Measurement> run = new ArrayList<>(cpuRun());
        run.add(new ResultsReport.Measurement("dev.vgg4j.bench.InferenceBenchmark.forward", Map.of("backend", "cpu",
                "threads", "2", "batch", "4", "imageSize", "32"), 20.0));
        String md = new ResultsReport(run, 34, List.of()).withPeer(new PyTorchPeer.Outcome(peer, null)).markdown();
        // cpu: 4 images in 100 ms = 40/s against PyTorch's 80/s; inference 200/s against 160/s.
        assertEquals("| training step | 2 | 4 | 32x32 | 40.0 | 80.0 | 0.50x |", line(md, "| training step |"));
        assertEquals("| inference | 2 | 4 | 32x32 | 200 | 160 | 1.25x |", line(md, "| inference |"));
        assertTrue(md.contains("- PyTorch peer: torch 2.13.0+cpu, CPU capability AVX512, 2 threads, glibc MALLOC_MMAP_MAX_=0"
                + " MALLOC_TRIM_THRESHOLD_=100000000000"), md);
    }

    @Test
    void aSkippedPeerSaysWhy() {
        String md = new ResultsReport(cpuRun(), 34, List.of())
                .withPeer(new PyTorchPeer.Outcome(List.of(), "python3 cannot import torch: ModuleNotFoundError")).markdown();
        assertTrue(md.contains("- PyTorch peer: skipped (python3 cannot import torch: ModuleNotFoundError)"), md);
        assertFalse(md.contains("| training step |"), md);
    }
}
