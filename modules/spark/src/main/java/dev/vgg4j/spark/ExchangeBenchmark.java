package dev.vgg4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The gradient exchange alone, as a training step does it: every worker contributes a vector of M
 * floats, {@link SliceAllReduce} sums them, the driver broadcasts the result (the new weights) and
 * every worker reads it. Prints one line per size: median and min over the repetitions of the sum,
 * of the broadcast, and of both, in ms.
 * <pre>
 * java $(cat modules/spark/target/spark.args) -cp 'modules/spark/target/vgg4j-spark.jar:modules/spark/target/spark-home/jars/*' \
 *     dev.vgg4j.spark.ExchangeBenchmark MASTER WORKERS REPETITIONS float32|bfloat16 M1 M2 ...
 * </pre>
 */
public final class ExchangeBenchmark {
    /** One vector per (worker, size) per executor JVM, so that making it is not timed. */
    private static final ConcurrentHashMap<String, float[]> VECTORS = new ConcurrentHashMap<>();

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
        try (JavaSparkContext spark = new JavaSparkContext(SparkSetup.conf(master, "vgg4j-exchange-benchmark")
                .set("spark.driver.maxResultSize", "0"))) {
            SliceAllReduce exchange = new SliceAllReduce(spark, workers, transport);
            System.out.printf(Locale.ROOT, "# %s, %d workers, %s transport; ms: median (min) of %d, after 1 warm-up%n",
                    master, workers, transport, repetitions);
            System.out.println("floats,MB_fp32,sum_ms,sum_min_ms,broadcast_ms,broadcast_min_ms,total_ms,total_min_ms");
            for (int i = 4; i < args.length; i++) {
                measure(spark, exchange, Integer.parseInt(args[i]), repetitions);
            }
        }
    }

    private static void measure(JavaSparkContext spark, SliceAllReduce exchange, int m, int repetitions) {
        List<double[]> times = new ArrayList<>();
        for (int r = 0; r <= repetitions; r++) {
            long start = System.nanoTime();
            List<Integer> workers = IntStream.range(0, exchange.workerCount()).boxed().toList();
            float[] sum = exchange.sum(workers, w -> new SliceAllReduce.Contribution(
                    VECTORS.computeIfAbsent(w + "/" + m, k -> filled(m, w)), new double[0])).vector();
            long summed = System.nanoTime();
            Broadcast<float[]> weights = spark.broadcast(sum);
            long read = spark.parallelize(workers, workers.size()).map(w -> (long) weights.value().length).reduce(Long::sum);
            long end = System.nanoTime();
            weights.destroy();
            if (read != (long) m * exchange.workerCount()) {
                throw new IllegalStateException("workers read " + read + " floats, expected " + m + " each");
            }
            if (r > 0) {
                times.add(new double[] {(summed - start) * 1e-6, (end - summed) * 1e-6, (end - start) * 1e-6});
            }
        }
        System.out.printf(Locale.ROOT, "%d,%.1f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f%n", m, m * 4e-6,
                median(times, 0), min(times, 0), median(times, 1), min(times, 1), median(times, 2), min(times, 2));
    }

    private static float[] filled(int m, int worker) {
        float[] v = new float[m];
        for (int i = 0; i < m; i++) {
            v[i] = (i % 1021) * 1e-3f + worker;
        }
        return v;
    }

    private static double median(List<double[]> times, int column) {
        double[] v = times.stream().mapToDouble(t -> t[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<double[]> times, int column) {
        return Arrays.stream(times.stream().mapToDouble(t -> t[column]).toArray()).min().orElseThrow();
    }
}
