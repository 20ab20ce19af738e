package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Precision;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.tck.ConvCase;
import dev.vgg4j.tck.VggShapes;
import dev.vgg4j.train.CrossEntropyLoss;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the GPU check measures, as a plain main (the device machine has no Maven): square GEMM
 * GFLOP/s; the implicit-GEMM convolutions of every distinct VGG16 layer at {@code convSize} (forward,
 * input gradient, weight gradient, batch {@code batch}; 0: none); and the recipe's training step
 * (vgg16_bn, 50x50, batch 128) with its images/s and the bytes, kernels and execute() calls per step
 * (one per op, or one replay when steps are recorded: {@code -Dvgg4j.tornado.record=true|false}). All
 * in float32 or, with {@code precision=fp16}, float16 autocast (the GEMMs and convolutions with
 * half-rounded inputs and outputs; the step runs without the loss scaler's unscale launches and its
 * one download).
 *
 * <pre>java @argfile -cp ... dev.vgg4j.tornado.DeviceBenchmark [gemmSizes=1024,2048,4096] [convSize=0] [steps=8] [batch=128] [precision=fp32]</pre>
 */
public final class DeviceBenchmark {
    private DeviceBenchmark() {}

    public static void main(String[] args) {
        Map<String, String> opts = new java.util.HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("DeviceBenchmark: expected key=value arguments, got '" + a + "'");
            }
            opts.put(kv[0], kv[1]);
        }
        int[] sizes = Arrays.stream(opts.getOrDefault("gemmSizes", "1024,2048,4096").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int steps = Integer.parseInt(opts.getOrDefault("steps", "8"));
        int batch = Integer.parseInt(opts.getOrDefault("batch", "128"));
        int convSize = Integer.parseInt(opts.getOrDefault("convSize", "0"));
        Precision precision = Precision.parse(opts.getOrDefault("precision", "fp32"));
        try (TornadoBackend backend = (TornadoBackend) Backends.create(TornadoBackendProvider.NAME,
                new BackendOptions(1, 0, 42L, Map.of()).withPrecision(precision))) {
            System.out.println("device: " + backend.deviceDescription() + ", precision " + precision.label());
            for (int n : sizes) {
                gemm(backend, n);
            }
            if (convSize > 0) {
                for (ConvCase cc : VggShapes.vgg16Convs(convSize, batch)) {
                    convolution(backend, cc);
                }
            }
            if (steps > 0) {
                trainingStep(backend, batch, steps);
            }
        }
    }

    private static void gemm(TornadoBackend backend, int n) {
        try (Tensor a = filled(backend, Shape.matrix(n, n)); Tensor b = filled(backend, Shape.matrix(n, n));
             Tensor c = backend.allocate(Shape.matrix(n, n))) {
            double seconds = seconds(() -> backend.gemm(false, false, 1f, a, b, 0f, c));
            System.out.printf("gemm %d: %.3f ms, %.1f GFLOP/s%n", n, seconds * 1e3, 2.0 * n * n * n / seconds * 1e-9);
        }
    }

    /** One VGG layer's three convolution ops, each timed alone: ms and GFLOP/s (2 x N x F x OH x OW x C x KH x KW each). */
    private static void convolution(TornadoBackend backend, ConvCase cc) {
        double flops = 2.0 * cc.output().size() * cc.taps();
        try (Tensor x = filled(backend, cc.input()); Tensor w = filled(backend, cc.weight());
             Tensor b = filled(backend, Shape.of(cc.f())); Tensor y = backend.allocate(cc.output());
             Tensor gy = filled(backend, cc.output()); Tensor gx = backend.allocate(cc.input());
             Tensor gw = backend.allocate(cc.weight())) {
            double forward = seconds(() -> backend.conv2dForward(x, w, b, cc.spec(), y));
            double input = seconds(() -> backend.conv2dBackwardInput(gy, w, cc.spec(), gx));
            double weight = seconds(() -> backend.conv2dBackwardWeight(x, gy, cc.spec(), gw, null));
            System.out.printf("conv %-32s forward %8.3f ms %8.1f GFLOP/s | input grad %8.3f ms %8.1f GFLOP/s"
                    + " | weight grad %8.3f ms %8.1f GFLOP/s%n", cc, forward * 1e3, flops / forward * 1e-9,
                    input * 1e3, flops / input * 1e-9, weight * 1e3, flops / weight * 1e-9);
        }
    }

    /** Seconds per run of {@code op}: once to warm up, then repeated for about a second (at most 50 runs). */
    private static double seconds(Runnable op) {
        op.run();
        int reps = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            op.run();
            reps++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < 1_000_000_000L && reps < 50);
        return elapsed * 1e-9 / reps;
    }

    private static Tensor filled(TornadoBackend backend, Shape shape) {
        SplittableRandom random = new SplittableRandom(shape.size());
        float[] host = new float[shape.size()];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) random.nextDouble(-1, 1);
        }
        return backend.upload(host, shape);
    }

    private static void trainingStep(TornadoBackend backend, int batch, int steps) {
        VggConfig config = VggConfig.recipe();
        try (TrainingStep step = new TrainingStep(backend, config, batch, 1L)) {
            long compileStart = System.nanoTime();
            step.run();
            System.out.printf("first step (kernel JIT included): %.1f s%n", (System.nanoTime() - compileStart) * 1e-9);
            long secondStart = System.nanoTime();
            step.run();
            System.out.printf("second step (with recording on: the recorded graph built and compiled): %.1f s%n",
                    (System.nanoTime() - secondStart) * 1e-9);
            long executes = backend.executes();
            long toDevice = backend.bytesToDevice();
            long toHost = backend.bytesToHost();
            long launches = backend.launches();
            double[] times = new double[steps];
            CrossEntropyLoss.Result last = null;
            for (int s = 0; s < steps; s++) {
                long t0 = System.nanoTime();
                last = step.run();
                times[s] = (System.nanoTime() - t0) * 1e-9;
            }
            Arrays.sort(times);
            double median = times[steps / 2];
            System.out.printf("%s step, batch %d: median %.1f ms, %.1f images/s, epoch of 45000 images ~ %.0f s%n",
                    config.name(), batch, median * 1e3, batch / median, 45000 / (batch / median));
            System.out.printf("per step: %d bytes to device, %d bytes to host, %d kernels in %d execute() calls; last loss %.4f%n",
                    (backend.bytesToDevice() - toDevice) / steps, (backend.bytesToHost() - toHost) / steps,
                    (backend.launches() - launches) / steps, (backend.executes() - executes) / steps,
                    last.summedLoss() / batch);
            profile(backend, step, false);
            profile(backend, step, true);
        }
    }

    /** Per-kernel launches and times of two steps, per step: host time in execute(), and with the profiler the driver's kernel time. */
    private static void profile(TornadoBackend backend, TrainingStep step, boolean deviceTimes) {
        int steps = 2;
        backend.startProfile(deviceTimes);
        for (int s = 0; s < steps; s++) {
            step.run();
        }
        List<LaunchProfile.Line> lines = backend.profile();
        backend.startProfile(false);
        System.out.printf("profile per step (%s): kernel graph or GEMM shape, launches, host ms, device ms%n",
                deviceTimes ? "TornadoVM profiler on" : "profiler off");
        long host = 0;
        long device = 0;
        long count = 0;
        for (LaunchProfile.Line line : lines) {
            System.out.printf("  %-40s %6d %9.2f %9.2f%n", line.label(), line.launches() / steps,
                    line.hostNanos() * 1e-6 / steps, line.deviceNanos() * 1e-6 / steps);
            host += line.hostNanos();
            device += line.deviceNanos();
            count += line.launches();
        }
        System.out.printf("  %-40s %6d %9.2f %9.2f%n", "total", count / steps, host * 1e-6 / steps, device * 1e-6 / steps);
    }
}
