package dev.vgg4j.bench;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.CrossEntropyLoss;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.function.LongSupplier;

/**
 * Where a VGG16-BN training step's time goes, per op and per layer shape: the step of
 * {@link TrainingStepBenchmark} (with {@code --pass infer} the pass of {@link InferenceBenchmark},
 * with {@code --pass eval} the evaluation-mode forward it replaced) on a backend wrapped in a proxy
 * that times every SPI call. Only for
 * synchronous backends (cpu, reference): a device backend's launches return before its kernels end.
 * Not JMH: the wrapper's cost (one {@code nanoTime} pair per op, ~200 ops a step) is far below the ops'.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vgg4j.bench.StepProfile [--backend cpu] [--threads 2]
 * [--batch 128] [--size 32] [--warmup 2] [--steps 3] [--conv-algorithm NAME] [--clock wall|cpu]
 * [--pass train|infer|eval]}; prints a
 * markdown table.
 */
public final class StepProfile {

    /** Milliseconds summed per row label, in first-seen order. */
    private final Map<String, double[]> byCall = new LinkedHashMap<>();
    private boolean recording;

    /** Nanoseconds: wall time, or (one thread only) the CPU time of the thread that runs every op. */
    private final LongSupplier clock;

    private StepProfile(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * {@code wall}, or {@code cpu}: the calling thread's CPU time, which on a machine shared with other
     * work counts the ops' own work rather than the time others held the core; only with one thread,
     * where the calling thread runs every op.
     */
    private static LongSupplier clock(String name, int threads) {
        return switch (name) {
            case "wall" -> System::nanoTime;
            case "cpu" -> {
                if (threads != 1) {
                    throw new IllegalArgumentException("StepProfile: --clock cpu needs --threads 1, got " + threads);
                }
                ThreadMXBean bean = ManagementFactory.getThreadMXBean();
                yield bean::getCurrentThreadCpuTime;
            }
            default -> throw new IllegalArgumentException("StepProfile: --clock: expected wall or cpu, got '" + name + "'");
        };
    }

    public static void main(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("backend", "cpu", "threads", "2", "batch", "128",
                "size", "32", "warmup", "2", "steps", "3", "conv-algorithm", "auto", "clock", "wall", "pass", "train"));
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!opts.containsKey(key) || i + 1 == args.length) {
                throw new IllegalArgumentException("StepProfile: unknown or valueless argument '" + args[i]
                        + "'; expected --backend, --threads, --batch, --size, --warmup, --steps, --conv-algorithm, --clock, --pass, each with a value");
            }
            opts.put(key, args[++i]);
        }
        int batch = Integer.parseInt(opts.get("batch"));
        int size = Integer.parseInt(opts.get("size"));
        int steps = Integer.parseInt(opts.get("steps"));
        BackendOptions options = BackendSettings.options(Integer.parseInt(opts.get("threads")),
                opts.get("conv-algorithm"));
        StepProfile profile = new StepProfile(clock(opts.get("clock"), Integer.parseInt(opts.get("threads"))));
        try (Backend real = Backends.create(opts.get("backend"), options)) {
            Backend b = profile.timed(real);
            Vgg model = Vgg.create(b, VggConfig.named("vgg16_bn").withImageSize(size));
            model.train(true);
            Adam adam = new Adam(b, model.parameters(), AdamParams.adam(1e-3f));
            CrossEntropyLoss loss = new CrossEntropyLoss(b, Reduction.SUM);
            SplittableRandom rnd = new SplittableRandom(3);
            Shape in = Shape.nchw(batch, 3, size, size);
            Tensor images = b.upload(GemmBenchmark.random(rnd, in.size()), in);
            int[] classes = rnd.ints(batch, 0, 10).toArray();
            Tensor labels = b.allocate(Shape.of(batch));
            b.uploadLabels(classes, labels);
            Runnable step = switch (opts.get("pass")) {
                case "train" -> () -> {
                    Tensor logits = model.forward(images);
                    model.backward(loss.forwardBackward(logits, labels));
                    adam.step();
                };
                case "infer" -> () -> model.infer(images);
                case "eval" -> () -> {
                    model.train(false);
                    model.forward(images);
                    model.train(true);
                };
                default -> throw new IllegalArgumentException("StepProfile: --pass: expected train, infer or eval, got '"
                        + opts.get("pass") + "'");
            };
            for (int i = 0; i < Integer.parseInt(opts.get("warmup")); i++) {
                step.run();
            }
            profile.recording = true;
            long start = profile.clock.getAsLong();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            double stepMs = (profile.clock.getAsLong() - start) / 1e6 / steps;
            profile.recording = false;
            System.out.println(profile.table(real.deviceDescription(), opts.get("clock"), opts.get("pass"), batch, size,
                    steps, stepMs));
        }
    }

    /** {@code real} behind a proxy that adds each call's time to its row while recording. */
    private Backend timed(Backend real) {
        InvocationHandler handler = (proxy, method, args) -> {
            long t0 = clock.getAsLong();
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (recording) {
                double[] row = byCall.computeIfAbsent(label(method, args), k -> new double[2]);
                row[0] += (clock.getAsLong() - t0) / 1e6;
                row[1]++;
            }
            return result;
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, handler);
    }

    /** The op and the shapes of its first two tensors, e.g. {@code conv2dForward [128,64,32,32] [64,64,3,3]}. */
    private static String label(Method method, Object[] args) {
        StringJoiner shapes = new StringJoiner(" ");
        int seen = 0;
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof Tensor t && seen++ < 2) {
                shapes.add(t.shape().toString().replace(" ", ""));
            }
        }
        return method.getName() + " " + shapes;
    }

    /** The op group a call belongs to in the summary. */
    private static String group(String label) {
        String op = label.substring(0, label.indexOf(' '));
        return switch (op) {
            case "conv2dForward" -> "conv forward";
            case "conv2dReluForward" -> "conv + ReLU forward (folded batch norm)";
            case "conv2dBackwardInput" -> "conv backward-data";
            case "conv2dBackwardWeight" -> "conv backward-weight";
            case "batchNormTrainForward", "batchNormInferenceForward" -> "batch norm forward";
            case "batchNormBackward" -> "batch norm backward";
            case "reluForward", "reluBackward" -> "ReLU forward + backward";
            case "maxPool2dForward", "maxPool2dBackward" -> "max pool forward + backward";
            case "adamStep" -> "Adam";
            case "linearForward", "linearBackward" -> "linear forward + backward";
            default -> "other (loss, dropout, copies)";
        };
    }

    private String table(String device, String clockName, String pass, int batch, int size, int steps, double stepMs) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "## VGG16-BN %s, batch %d, %dx%d, %s: %.1f ms/step (%.1f images/s, %s time), mean of %d%n%n",
                switch (pass) {
                    case "train" -> "step";
                    case "infer" -> "inference (Model.infer)";
                    default -> "evaluation-mode forward (batch norm unfolded)";
                }, batch, size, size, device, stepMs,
                batch * 1000 / stepMs, clockName, steps));
        Map<String, Double> groups = new LinkedHashMap<>();
        byCall.forEach((label, row) -> groups.merge(group(label), row[0] / steps, Double::sum));
        s.append("| op | ms/step | share |\n|---|---:|---:|\n");
        groups.entrySet().stream().sorted(Map.Entry.comparingByValue((a, b) -> Double.compare(b, a)))
                .forEach(e -> s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f%% |%n", e.getKey(), e.getValue(),
                        100 * e.getValue() / stepMs)));
        s.append("\n| call (op, shapes of its first two tensors) | calls/step | ms/step | share |\n|---|---:|---:|---:|\n");
        List<Map.Entry<String, double[]>> rows = new ArrayList<>(byCall.entrySet());
        rows.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
        for (Map.Entry<String, double[]> e : rows) {
            double ms = e.getValue()[0] / steps;
            if (ms >= 0.05 * stepMs / 100) {
                s.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.1f%% |%n", e.getKey(),
                        Math.round(e.getValue()[1] / steps), ms, 100 * ms / stepMs));
            }
        }
        return s.toString();
    }
}
