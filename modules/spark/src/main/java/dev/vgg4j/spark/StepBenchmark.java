package dev.vgg4j.spark;

import dev.vgg4j.data.Batch;
import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.GradientStep;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * One full training step (gradients + Adam) of a VGG on random images, in one process or on
 * Spark (one {@link SparkDataParallel} step: weights from the slices, gradients, Adam on the
 * slices), for the scaling efficiency: prints the median and min step time over the steps after
 * {@value #WARM_UP} warm-up steps (the JIT compiles the step's loops in the first few) and the
 * images per second; on Spark also the task CPU on the critical path and the tasks' phases.
 * <pre>
 * java $(cat modules/spark/target/spark.args) -Xmx4g -cp 'modules/spark/target/vgg4j-spark.jar:modules/spark/target/spark-home/jars/*' \
 *     dev.vgg4j.spark.StepBenchmark single|MASTER WORKERS THREADS_PER_WORKER STEPS BATCH IMAGE_SIZE MODEL
 * </pre>
 * {@code single} runs the step in this JVM with {@code THREADS_PER_WORKER} backend threads.
 */
public final class StepBenchmark {
    private static final int WARM_UP = 3;

    private StepBenchmark() {}

    public static void main(String[] args) {
        if (args.length != 7) {
            System.err.println("usage: StepBenchmark single|MASTER WORKERS THREADS_PER_WORKER STEPS BATCH IMAGE_SIZE MODEL");
            System.exit(2);
        }
        String master = args[0];
        int workers = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        int batchSize = Integer.parseInt(args[4]);
        int imageSize = Integer.parseInt(args[5]);
        VggConfig config = VggConfig.named(args[6]).withImageSize(imageSize);
        Batch batch = randomBatch(batchSize, imageSize, config.numClasses());
        try (Backend backend = Backends.create("cpu", BackendOptions.defaults().withThreads(threads));
                Model model = config.create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f))) {
            String what = String.format(Locale.ROOT, "%s b%d @%d, %s", args[6], batchSize, imageSize,
                    master.equals("single") ? "one process, " + threads + " threads"
                            : master + ", " + workers + " workers x " + threads + " threads");
            if (master.equals("single")) {
                ThreadMXBean clock = ManagementFactory.getThreadMXBean();
                try (GradientStep step = new GradientStep(model, Reduction.SUM)) {
                    // with 1 thread the backend computes on this thread: its CPU time is the step's work
                    report(what, batchSize, time(steps, () -> {
                        step.compute(batch);
                        adam.step();
                        return backend.download(model.parameters().getFirst().value())[0];
                    }, clock::getCurrentThreadCpuTime, () -> {}), "this thread's CPU");
                }
                return;
            }
            try (JavaSparkContext spark = new JavaSparkContext(SparkSetup.conf(master, "vgg4j-step-benchmark"));
                    SparkDataParallel engine = new SparkDataParallel(spark, workers, "cpu", threads, FloatBytes.FLOAT32)) {
                CriticalPathCpu cpu = new CriticalPathCpu();
                spark.sc().addSparkListener(cpu);
                engine.load(model, adam, Reduction.SUM);
                // the step returns once the reducers have stored the new weights
                report(what, batchSize, time(steps, () -> (float) engine.step(batch, 1e-3).summedLoss(), () -> {
                    drain(spark);
                    return cpu.nanos();
                }, () -> {
                    drain(spark);
                    cpu.clear();
                    engine.phases().reset();
                }), "task CPU on the critical path (slowest map task + slowest reducer)");
                System.out.printf(Locale.ROOT, "critical-path task CPU per step (mean of %d steps): map task %.0f ms,"
                        + " reducer %.0f ms%n", steps, cpu.millis(true) / steps, cpu.millis(false) / steps);
                System.out.printf(Locale.ROOT, "thread CPU per task and step (mean of %d steps x %d workers): %s%n", steps,
                        workers, engine.phases().describe((long) steps * workers));
            }
        }
    }

    /**
     * Sums, over the stages of the jobs so far, the CPU time of each stage's slowest task: what a
     * step's tasks compute on the critical path, whatever else runs on a loaded machine. Also keeps
     * the map tasks' and the reducers' share apart.
     */
    private static final class CriticalPathCpu extends SparkListener {
        private final Map<Integer, Long> slowestPerStage = new ConcurrentHashMap<>();
        private final Map<Integer, Boolean> isMapStage = new ConcurrentHashMap<>();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
                slowestPerStage.merge(end.stageId(), end.taskMetrics().executorCpuTime(), Math::max);
                isMapStage.put(end.stageId(), end.taskType().equals("ShuffleMapTask"));
            }
        }

        long nanos() {
            return slowestPerStage.values().stream().mapToLong(Long::longValue).sum();
        }

        void clear() {
            slowestPerStage.clear();
            isMapStage.clear();
        }

        /** The slowest task's CPU per stage, summed over the map stages (or the reduce stages), in ms. */
        double millis(boolean mapStages) {
            return slowestPerStage.entrySet().stream().filter(e -> isMapStage.get(e.getKey()) == mapStages)
                    .mapToLong(Map.Entry::getValue).sum() * 1e-6;
        }
    }

    /** The step's task-end events delivered to the listeners. */
    private static void drain(JavaSparkContext spark) {
        try {
            spark.sc().listenerBus().waitUntilEmpty();
        } catch (TimeoutException e) {
            throw new IllegalStateException("Spark's listener bus did not drain", e);
        }
    }

    /**
     * Wall and CPU milliseconds ({@code cpuNanos}: a counter read before and after) of each step
     * after the warm-up steps, then {@code afterWarmUp} (counters cleared).
     */
    private static double[][] time(int steps, Supplier<Float> step, LongSupplier cpuNanos, Runnable afterWarmUp) {
        for (int i = 0; i < WARM_UP; i++) {
            step.get();
        }
        afterWarmUp.run();
        double[][] ms = new double[2][steps];
        for (int i = 0; i < steps; i++) {
            long cpuStart = cpuNanos.getAsLong();
            long start = System.nanoTime();
            float first = step.get();
            ms[0][i] = (System.nanoTime() - start) * 1e-6;
            ms[1][i] = (cpuNanos.getAsLong() - cpuStart) * 1e-6;
            if (!Float.isFinite(first)) {
                throw new IllegalStateException("the step diverged at step " + i);
            }
        }
        return ms;
    }

    private static void report(String what, int batchSize, double[][] ms, String cpu) {
        double[] wall = ms[0].clone();
        double[] cpuMs = ms[1].clone();
        Arrays.sort(wall);
        Arrays.sort(cpuMs);
        double median = wall[wall.length / 2];
        System.out.printf(Locale.ROOT, "%s: step median %.0f ms, min %.0f ms over %d steps (%.1f images/s); all: %s;"
                        + " %s: median %.0f ms, min %.0f ms%n",
                what, median, wall[0], wall.length, batchSize * 1000 / median,
                Arrays.toString(Arrays.stream(ms[0]).map(Math::rint).toArray()), cpu, cpuMs[cpuMs.length / 2], cpuMs[0]);
    }

    /** The first batch of a loader over n random images [3, size, size] (the workers make it from the broadcast dataset). */
    private static Batch randomBatch(int n, int size, int classes) {
        SplittableRandom random = new SplittableRandom(1);
        byte[] pixels = new byte[n * 3 * size * size];
        int[] labels = new int[n];
        random.nextBytes(pixels);
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        Dataset images = new Dataset("random", pixels, labels, 3, size, size,
                IntStream.range(0, classes).mapToObj(Integer::toString).toList());
        try (DataLoader loader = new DataLoader(images, ImagePipeline.recipe(images.imageSize(), size),
                DataLoader.Options.evaluation(n))) {
            return loader.epoch(0).next();
        }
    }
}
