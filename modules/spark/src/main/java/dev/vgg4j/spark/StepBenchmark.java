package dev.vgg4j.spark;

import dev.vgg4j.data.Batch;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.GradientStep;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One full training step (gradients + Adam) of a VGG on random images, in one process or on
 * Spark (one {@link SparkDataParallel} step: weights from the slices, gradients, Adam on the
 * slices), for the scaling efficiency: prints the median and min step time over the steps after a
 * warm-up and the images per second.
 * <pre>
 * java $(cat modules/spark/target/spark.args) -Xmx4g -cp 'modules/spark/target/vgg4j-spark.jar:modules/spark/target/spark-home/jars/*' \
 *     dev.vgg4j.spark.StepBenchmark single|MASTER WORKERS THREADS_PER_WORKER STEPS BATCH IMAGE_SIZE MODEL
 * </pre>
 * {@code single} runs the step in this JVM with {@code THREADS_PER_WORKER} backend threads.
 */
public final class StepBenchmark {
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
                try (GradientStep step = new GradientStep(model, Reduction.SUM)) {
                    report(what, batchSize, time(steps, () -> {
                        step.compute(batch);
                        adam.step();
                        return backend.download(model.parameters().getFirst().value())[0];
                    }));
                }
                return;
            }
            try (JavaSparkContext spark = new JavaSparkContext(SparkSetup.conf(master, "vgg4j-step-benchmark"));
                    SparkDataParallel engine = new SparkDataParallel(spark, workers, "cpu", threads, FloatBytes.FLOAT32)) {
                engine.load(model, adam, Reduction.SUM);
                // the step returns once the reducers have stored the new weights
                report(what, batchSize, time(steps, () -> (float) engine.step(batch, 1e-3).summedLoss()));
            }
        }
    }

    /** Milliseconds of each step after one warm-up step. */
    private static double[] time(int steps, Supplier<Float> step) {
        step.get();
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            float first = step.get();
            ms[i] = (System.nanoTime() - start) * 1e-6;
            if (!Float.isFinite(first)) {
                throw new IllegalStateException("the step diverged at step " + i);
            }
        }
        return ms;
    }

    private static void report(String what, int batchSize, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        System.out.printf(Locale.ROOT, "%s: step median %.0f ms, min %.0f ms over %d steps (%.1f images/s); all: %s%n",
                what, median, sorted[0], ms.length, batchSize * 1000 / median, Arrays.toString(
                        Arrays.stream(ms).map(Math::rint).toArray()));
    }

    private static Batch randomBatch(int n, int size, int classes) {
        SplittableRandom random = new SplittableRandom(1);
        float[] images = new float[n * 3 * size * size];
        int[] labels = new int[n];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new Batch(0, images, labels, new ImageSize(3, size, size));
    }
}
