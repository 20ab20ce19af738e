package dev.vgg4j.spark;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.Optimizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A training step without the model: every worker fetches the weights [M] from the slices and
 * contributes a fixed gradient [M]; the reducers sum them and run Adam on their slices
 * ({@link SliceExchange}). What is left of a step once the compute is taken out: the exchange per
 * byte, the optimizer per element and Spark's per-job cost. Prints one line per size: median and
 * min over the repetitions, in ms; then a comment line with the tasks' thread CPU per phase.
 * <pre>
 * java $(cat modules/spark/target/spark.args) -cp 'modules/spark/target/vgg4j-spark.jar:modules/spark/target/spark-home/jars/*' \
 *     dev.vgg4j.spark.ExchangeBenchmark MASTER WORKERS REPETITIONS float32|bfloat16 M1 M2 ...
 * </pre>
 */
public final class ExchangeBenchmark {
    /** One gradient and one place for the weights per (worker, size) per executor JVM, so that making them is not timed. */
    private static final ConcurrentHashMap<String, float[]> GRADIENTS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, float[]> WEIGHTS = new ConcurrentHashMap<>();

    private ExchangeBenchmark() {}

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: ExchangeBenchmark MASTER WORKERS REPETITIONS float32|bfloat16 FLOATS...");
            System.exit(2);
        }
        String master = args[0];
        int workers = Integer.parseInt(args[1]);
        int repetitions = Integer.parseInt(args[2]);
        FloatBytes transport = FloatBytes.valueOf(args[3].toUpperCase(Locale.ROOT));
        try (JavaSparkContext spark = new JavaSparkContext(SparkSetup.conf(master, "vgg4j-exchange-benchmark"));
                Backend backend = Backends.create("cpu", BackendOptions.defaults().withThreads(1));
                Tensor value = backend.allocate(Shape.of(1));
                Tensor grad = backend.allocate(Shape.of(1));
                Adam adam = new Adam(backend, List.of(new Parameter("x", value, grad)), AdamParams.adam(1e-3f))) {
            System.out.printf(Locale.ROOT, "# %s, %d workers, %s gradients, Adam on the slices; ms: median (min) of %d,"
                    + " after 1 warm-up%n", master, workers, transport, repetitions);
            System.out.println("floats,MB_fp32,step_ms,step_min_ms");
            for (int i = 4; i < args.length; i++) {
                measure(spark, workers, transport, adam.factory(), adam.stateMetadata(), Integer.parseInt(args[i]),
                        repetitions);
            }
        }
    }

    private static void measure(JavaSparkContext spark, int workers, FloatBytes transport, Optimizer.Factory adam,
                                Map<String, String> metadata, int m, int repetitions) {
        double[] ms = new double[repetitions];
        try (SliceExchange exchange = new SliceExchange(spark, workers, m, 2, "cpu", 1, adam, transport)) {
            exchange.load(FlatFloats.of(new float[m]), new float[2 * m], metadata);
            List<Integer> inputs = IntStream.range(0, workers).boxed().toList();
            for (int r = -1; r < repetitions; r++) {
                long start = System.nanoTime();
                exchange.step(inputs, (w, slices) -> {
                    slices.readWeights(FlatFloats.of(WEIGHTS.computeIfAbsent(w + "/" + m, k -> new float[m])));
                    slices.writeGradient(FlatFloats.of(GRADIENTS.computeIfAbsent(w + "/" + m, k -> filled(m, w))));
                    return new double[0];
                }, 1e-3);
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - start) * 1e-6;
                } else {
                    exchange.phases().reset();
                }
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "%d,%.1f,%.0f,%.0f%n", m, m * 4e-6, ms[ms.length / 2], ms[0]);
            System.out.printf(Locale.ROOT, "# %d floats, thread CPU per task: %s%n", m,
                    exchange.phases().describe((long) repetitions * workers));
        }
    }

    private static float[] filled(int m, int worker) {
        float[] v = new float[m];
        for (int i = 0; i < m; i++) {
            v[i] = (i % 1021) * 1e-3f + worker;
        }
        return v;
    }
}
