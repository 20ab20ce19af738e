package dev.vgg4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the backend comparison: GEMM through the cpu backend (1 and 2 threads), the reference
 * backend (small sizes) and OpenBLAS (1 and 2 threads), conv layers forward+backward for reference
 * and cpu, and a whole VGG16-BN training step on cpu (the reference backend would take minutes a step);
 * with {@code --tornado}, the same GEMMs, conv layers and training steps on the TornadoVM device. Each
 * group writes JMH JSON into {@code <out>/<timestamp>/}; the report ({@code report.md}) and chart
 * ({@code gemm.png}) are made from the same run.
 *
 * <p>Usage: {@code java -jar benchmarks/target/benchmarks.jar [--quick | --smoke | --peer] [--avx2] [--peak GFLOPS]
 * [--tornado ARGFILE] [--python PYTHON] [--out DIR]}. With {@code --python}, {@link PyTorchPeer} times the
 * seed's model in PyTorch on the plan's training and inference cases, and the report gives the ratios. The forks get the JVM options of the root pom's
 * {@code vgg4j.jvm.args}, filtered into the resource {@code jvm.args}; the tornado forks also get
 * {@code @ARGFILE}, TornadoVM's options as {@code tornado-config/jvm-args.sh} writes them (run.sh does
 * when {@code TORNADOVM_HOME} is set). A child JVM started with those options first checks that the
 * tornado backend runs and names its device; otherwise the tornado groups are skipped, and the report
 * says why. {@code --avx2} caps the forks at 256-bit vectors ({@code -XX:UseAVX=2}) so that
 * an AVX-512 machine measures the kernels the AVX2 target (Zen 1) runs, against OpenBLAS's AVX2 kernel;
 * {@code --peak} sets one core's FMA peak for the "of peak" columns (default: a Zen 1 core, 34).
 */
public final class BenchmarkSuite {

    /**
     * What one run covers: quick is about 5 minutes on 2 cores, full (160 GEMM shapes) about an hour;
     * smoke checks in about a minute per backend that every group runs and reaches the report (its
     * numbers mean little: one short iteration of the smallest shapes).
     */
    record Plan(List<String> gemmShapes, List<String> referenceShapes, List<String> convLayers, int convBatch,
                List<String> modelBatches, List<String> modelSizes, TimeValue iterationTime, int warmups,
                int iterations) {

        /** The GEMMs of the quick plan and of the PyTorch comparison: the square ones and VGG conv shapes. */
        private static final List<String> CONV_GEMMS = List.of(
                "conv2_2@32/b32/fwd", "conv2_2@32/b32/bwd-data", "conv2_2@32/b32/bwd-weight",
                "conv4_2@32/b128/fwd", "conv4_2@32/b128/bwd-data", "conv4_2@32/b128/bwd-weight",
                "conv5_2@32/b128/fwd");

        static Plan quick() {
            List<String> gemms = new ArrayList<>(List.of("square/256", "square/1024"));
            gemms.addAll(CONV_GEMMS);
            return new Plan(gemms, List.of("square/256"),
                    List.of("conv1_2@32", "conv3_2@32", "conv5_2@32"), 4,
                    List.of("32", "128"), List.of("32"),
                    TimeValue.milliseconds(500), 2, 3);
        }

        static Plan smoke() {
            return new Plan(List.of("square/256"), List.of("square/256"), List.of("conv5_2@32"), 2,
                    List.of("4"), List.of("32"), TimeValue.milliseconds(300), 2, 1);
        }

        /**
         * Issue 10's comparison, about 10 minutes idle: GEMM 1024^3 and the VGG conv shapes at 1 and 2
         * threads against OpenBLAS, the training step and the inference pass at batch 128, 32x32 and
         * 50x50, and (with {@code --python}) PyTorch on the same cases; no reference backend, no conv group.
         */
        static Plan peer() {
            List<String> gemms = new ArrayList<>(List.of("square/1024"));
            gemms.addAll(CONV_GEMMS);
            return new Plan(gemms, List.of(), List.of(), 0, List.of("128"), List.of("32", "50"),
                    TimeValue.seconds(1), 2, 5);
        }

        static Plan full() {
            return new Plan(List.copyOf(VggLayers.allGemms().keySet()), List.of("square/256", "square/512"),
                    VggLayers.layers(32).stream().map(VggLayers.Layer::name).toList(), 8,
                    List.of("32", "128"), List.of("32", "50"),
                    TimeValue.milliseconds(500), 2, 3);
        }

        /** The PyTorch script's cases for this plan's batches and sizes: {@code train:B:S,...,infer:B:S,...}. */
        String peerCases() {
            List<String> cases = new ArrayList<>();
            for (String kind : List.of("train", "infer")) {
                for (String batch : modelBatches) {
                    for (String size : modelSizes) {
                        cases.add(kind + ":" + batch + ":" + size);
                    }
                }
            }
            return String.join(",", cases);
        }
    }

    private BenchmarkSuite() {}

    public static void main(String[] args) throws IOException, InterruptedException, RunnerException {
        String planName = "full";
        boolean avx2 = false;
        String python = null;
        Path tornadoArgs = null;
        double peak = ResultsReport.ZEN1_PEAK_GFLOPS_PER_CORE;
        Path out = Path.of("benchmarks", "results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick", "--smoke", "--peer" -> planName = args[i].substring(2);
                case "--python" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--python needs a Python executable that may have torch, e.g. --python python3");
                    }
                    python = args[++i];
                }
                case "--avx2" -> avx2 = true;
                case "--peak" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--peak needs one core's FMA peak in GFLOP/s, e.g. --peak 34");
                    }
                    peak = Double.parseDouble(args[++i]);
                }
                case "--tornado" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--tornado needs the argfile of tornado-config/jvm-args.sh --out FILE");
                    }
                    tornadoArgs = Path.of(args[++i]);
                }
                case "--out" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--out needs a directory");
                    }
                    out = Path.of(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --quick, --smoke, --peer, --python PYTHON, --avx2, --peak GFLOPS, --tornado ARGFILE, --out DIR");
            }
        }
        Plan plan = switch (planName) {
            case "quick" -> Plan.quick();
            case "smoke" -> Plan.smoke();
            case "peer" -> Plan.peer();
            default -> Plan.full();
        };
        Path dir = out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + (planName.equals("full") ? "" : "-" + planName) + (avx2 ? "-avx2" : ""));
        Files.createDirectories(dir);
        String[] jvmArgs = jvmArgs(avx2);
        TornadoForks tornado = TornadoForks.check(tornadoArgs, jvmArgs);
        System.out.println(tornado.probe().line());
        String openBlasCore = OpenBlasCore.inChildJvm(List.of(jvmArgs));
        System.out.println(openBlasCore);

        List<RunResult> results = new ArrayList<>();
        Configure convLayers = b -> b.param("layer", array(plan.convLayers()))
                .param("batch", String.valueOf(plan.convBatch()));
        Configure trainingSteps = b -> b.param("batch", array(plan.modelBatches()))
                .param("imageSize", array(plan.modelSizes()));
        results.addAll(run(dir, "gemm-cpu", jvmArgs, plan, GemmBenchmark.class,
                on(List.of("cpu"), gemmShapes(plan.gemmShapes()), "1", "2")));
        if (!plan.referenceShapes().isEmpty()) {
            results.addAll(run(dir, "gemm-reference", jvmArgs, plan, GemmBenchmark.class,
                    on(List.of("reference"), gemmShapes(plan.referenceShapes()), "1")));
        }
        results.addAll(run(dir, "gemm-openblas", jvmArgs, plan, OpenBlasGemmBenchmark.class,
                b -> gemmShapes(plan.gemmShapes()).apply(b.param("threads", "1", "2"))));
        if (!plan.convLayers().isEmpty()) {
            results.addAll(run(dir, "conv", jvmArgs, plan, ConvLayerBenchmark.class,
                    on(List.of("reference", "cpu"), convLayers, "2")));
        }
        results.addAll(run(dir, "training-step", jvmArgs, plan, TrainingStepBenchmark.class,
                on(List.of("cpu"), trainingSteps, "2")));
        results.addAll(run(dir, "inference", jvmArgs, plan, InferenceBenchmark.class,
                on(List.of("cpu"), trainingSteps, "2")));
        if (tornado.probe().available()) {
            // One host thread: the device backend's speed does not depend on it.
            String[] deviceArgs = tornado.jvmArgsArray();
            List<String> device = List.of(TornadoForks.BACKEND);
            results.addAll(run(dir, "gemm-tornado", deviceArgs, plan, GemmBenchmark.class,
                    on(device, gemmShapes(plan.gemmShapes()), "1")));
            results.addAll(run(dir, "conv-tornado", deviceArgs, plan, ConvLayerBenchmark.class,
                    on(device, convLayers, "1")));
            results.addAll(run(dir, "training-step-tornado", deviceArgs, plan, TrainingStepBenchmark.class,
                    on(device, trainingSteps, "1")));
        }

        PyTorchPeer.Outcome peer = python == null
                ? new PyTorchPeer.Outcome(List.of(), "no --python given")
                : PyTorchPeer.run(python, Path.of("benchmarks", "pytorch_peer.py"), 2, plan.peerCases(),
                        plan.warmups(), plan.iterations());
        System.out.println(peer.line());
        ResultsReport report = new ResultsReport(results.stream().map(ResultsReport.Measurement::of).toList(), peak,
                List.of(tornado.probe().line(), openBlasCore)).withPeer(peer);
        Files.writeString(dir.resolve("report.md"), report.markdown(), StandardCharsets.UTF_8);
        System.out.println(report.markdown());
        try {
            report.writeChart(dir.resolve("gemm.png"));
            System.out.println("JSON, report.md and gemm.png in " + dir.toAbsolutePath());
        } catch (RuntimeException e) {
            // A GPU server's minimal JDK may have no fonts to draw with; the measurements are in the JSON and report.
            Files.deleteIfExists(dir.resolve("gemm.png"));
            System.out.println("JSON and report.md in " + dir.toAbsolutePath() + "; gemm.png not drawn: " + e.getMessage());
        }
    }

    private interface Configure {
        ChainedOptionsBuilder apply(ChainedOptionsBuilder b);
    }

    private static Configure gemmShapes(List<String> shapes) {
        return b -> b.param("shape", array(shapes));
    }

    /** A workload's parameters for {@code backends}, each at every count of {@code threads}. */
    private static Configure on(List<String> backends, Configure workload, String... threads) {
        return b -> workload.apply(b.param("backend", array(backends)).param("threads", threads));
    }

    private static Collection<RunResult> run(Path dir, String group, String[] jvmArgs, Plan plan, Class<?> benchmark,
                                             Configure configure) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(benchmark.getName() + "\\.")
                .forks(1)
                .warmupIterations(plan.warmups())
                .warmupTime(plan.iterationTime())
                .measurementIterations(plan.iterations())
                .measurementTime(plan.iterationTime())
                .jvmArgsPrepend(jvmArgs)
                .resultFormat(ResultFormatType.JSON)
                .result(dir.resolve(group + ".json").toString());
        return new Runner(configure.apply(b).build()).run();
    }

    /** The root pom's {@code vgg4j.jvm.args}, plus a heap for the largest layers and a headless AWT. */
    static String[] jvmArgs(boolean avx2) throws IOException {
        try (InputStream in = BenchmarkSuite.class.getResourceAsStream("/jvm.args")) {
            if (in == null) {
                throw new IllegalStateException("resource jvm.args missing: build the benchmarks with ./mvnw");
            }
            String args = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (args.contains("${")) {
                throw new IllegalStateException("resource jvm.args was not filtered by Maven: " + args);
            }
            List<String> all = new ArrayList<>(Arrays.asList(args.split("\\s+")));
            all.add("-Xmx6g");
            all.add("-Djava.awt.headless=true");
            if (avx2) {
                all.add("-XX:UseAVX=2");
            }
            return all.toArray(String[]::new);
        }
    }

    private static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }
}
