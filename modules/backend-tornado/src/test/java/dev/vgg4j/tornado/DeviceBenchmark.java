package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.CrossEntropyLoss;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the GPU check measures, as a plain main (the device machine has no Maven): square GEMM
 * GFLOP/s, and the recipe's training step (vgg16_bn, 50x50, batch 128) with its images/s and the
 * bytes, kernels and execute() calls per step (one per op, or one replay when steps are recorded:
 * {@code -Dvgg4j.tornado.record=true|false}).
 *
 * <pre>java @argfile -cp ... dev.vgg4j.tornado.DeviceBenchmark [gemmSizes=1024,2048,4096] [steps=8] [batch=128]</pre>
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
        try (TornadoBackend backend = (TornadoBackend) Backends.create(TornadoBackendProvider.NAME,
                new BackendOptions(1, 0, 42L, Map.of()))) {
            System.out.println("device: " + backend.deviceDescription());
            for (int n : sizes) {
                gemm(backend, n);
            }
            if (steps > 0) {
                trainingStep(backend, batch, steps);
            }
        }
    }

    private static void gemm(TornadoBackend backend, int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] host = new float[n * n];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) random.nextDouble(-1, 1);
        }
        try (Tensor a = backend.upload(host, Shape.matrix(n, n)); Tensor b = backend.upload(host, Shape.matrix(n, n));
             Tensor c = backend.allocate(Shape.matrix(n, n))) {
            backend.gemm(false, false, 1f, a, b, 0f, c);
            int reps = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                backend.gemm(false, false, 1f, a, b, 0f, c);
                reps++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < 1_000_000_000L && reps < 50);
            double seconds = elapsed * 1e-9 / reps;
            System.out.printf("gemm %d: %.3f ms, %.1f GFLOP/s%n", n, seconds * 1e3, 2.0 * n * n * n / seconds * 1e-9);
        }
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
