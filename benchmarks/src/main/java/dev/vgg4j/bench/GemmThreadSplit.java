package dev.vgg4j.bench;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How the cpu backend's GEMM splits between its threads, in CPU time, where wall time means nothing
 * (a machine shared with other work): for each shape, a 1-thread and a 2-thread backend in the same
 * JVM, called in alternating rounds so that both see the same load, and per call the CPU time of each
 * thread that worked on it (the caller, and the pool's worker {@code vgg4j-cpu-1}). With an even split
 * each 2-thread thread takes about half of the 1-thread CPU time ({@code share} near 50%), and
 * {@code 1T CPU / busiest 2T thread} is the speed-up two idle cores would give (2.0 at best). A
 * thread that took no part, or threads that each did the whole work, show at once.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks.jar dev.vgg4j.bench.GemmThreadSplit
 * [--calls 10] [--rounds 5] [shape ...]} (shapes as {@link VggLayers#gemm}; default: 1024^3 and the
 * VGG conv shapes of the record run); prints a markdown table.
 */
public final class GemmThreadSplit {
    private static final List<String> DEFAULT_SHAPES = List.of("square/1024",
            "conv2_2@32/b32/fwd", "conv2_2@32/b32/bwd-data", "conv2_2@32/b32/bwd-weight",
            "conv4_2@32/b128/fwd", "conv4_2@32/b128/bwd-data", "conv4_2@32/b128/bwd-weight",
            "conv5_2@32/b128/fwd");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private GemmThreadSplit() {}

    public static void main(String[] args) {
        int calls = 10;
        int rounds = 5;
        List<String> shapes = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--calls" -> calls = positive(args, ++i);
                case "--rounds" -> rounds = positive(args, ++i);
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("GemmThreadSplit: unknown option '" + args[i]
                                + "'; expected --calls N, --rounds N and GEMM shape names");
                    }
                    shapes.add(args[i]);
                }
            }
        }
        System.out.println("| shape | M x N x K | 1T CPU ms/call | 2T caller CPU ms | 2T worker CPU ms | worker share "
                + "| 2T CPU sum / 1T | 1T CPU / busiest 2T thread |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (String name : shapes.isEmpty() ? DEFAULT_SHAPES : shapes) {
            System.out.println(row(VggLayers.gemm(name), calls, rounds));
        }
    }

    /** The fastest round of each column: the rounds least disturbed by other work. */
    private static String row(GemmShape g, int calls, int rounds) {
        try (Gemm one = new Gemm(g, 1); Gemm two = new Gemm(g, 2)) {
            double oneMs = Double.MAX_VALUE;
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int r = -1; r < rounds; r++) {
                // Round -1 warms both backends up (the JIT compiles the kernels) and is not counted.
                double[] o = one.cpuMsPerCall(calls);
                double[] t = two.cpuMsPerCall(calls);
                if (r >= 0) {
                    oneMs = Math.min(oneMs, o[0]);
                    if (t[0] + t[1] < best[0] + best[1]) {
                        best = t;
                    }
                }
            }
            double sum = best[0] + best[1];
            return String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.0f%% | %.2f | %.2fx |", g.name(), g.dims(),
                    oneMs, best[0], best[1], 100 * best[1] / sum, sum / oneMs, oneMs / Math.max(best[0], best[1]));
        }
    }

    /** One shape on one cpu backend of {@code threads} threads, with its operands uploaded once. */
    private static final class Gemm implements AutoCloseable {
        private final GemmShape g;
        private final Backend backend;
        private final Tensor a;
        private final Tensor b;
        private final Tensor c;
        /** The pool's worker thread (threads - 1 = 1 of them), or none. */
        private final long worker;

        Gemm(GemmShape g, int threads) {
            this.g = g;
            backend = Backends.create("cpu", BackendOptions.defaults().withThreads(threads));
            SplittableRandom rnd = new SplittableRandom(1);
            a = backend.upload(GemmBenchmark.random(rnd, g.m() * g.k()),
                    g.transA() ? Shape.matrix(g.k(), g.m()) : Shape.matrix(g.m(), g.k()));
            b = backend.upload(GemmBenchmark.random(rnd, g.k() * g.n()),
                    g.transB() ? Shape.matrix(g.n(), g.k()) : Shape.matrix(g.k(), g.n()));
            c = backend.allocate(Shape.matrix(g.m(), g.n()));
            gemm();
            worker = threads == 1 ? -1 : Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("vgg4j-cpu-1")).mapToLong(Thread::threadId).max()
                    .orElseThrow(() -> new IllegalStateException("cpu backend with 2 threads has no thread vgg4j-cpu-1"));
        }

        private void gemm() {
            backend.gemm(g.transA(), g.transB(), 1f, a, b, 0f, c);
        }

        /** {caller, worker} CPU milliseconds per call over {@code calls} calls. */
        double[] cpuMsPerCall(int calls) {
            long caller = THREADS.getCurrentThreadCpuTime();
            long helper = worker < 0 ? 0 : THREADS.getThreadCpuTime(worker);
            for (int i = 0; i < calls; i++) {
                gemm();
            }
            return new double[] {
                (THREADS.getCurrentThreadCpuTime() - caller) / 1e6 / calls,
                worker < 0 ? 0 : (THREADS.getThreadCpuTime(worker) - helper) / 1e6 / calls};
        }

        @Override
        public void close() {
            backend.close();
        }
    }

    private static int positive(String[] args, int i) {
        int v = i < args.length ? Integer.parseInt(args[i]) : 0;
        if (v < 1) {
            throw new IllegalArgumentException("GemmThreadSplit: " + args[i - 1] + " needs a positive count, got "
                    + (i < args.length ? args[i] : "nothing"));
        }
        return v;
    }
}
