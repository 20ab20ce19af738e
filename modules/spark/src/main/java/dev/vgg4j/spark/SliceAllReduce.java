package dev.vgg4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Sums one float vector per worker over P workers with Spark's own parts, a reduce-scatter through
 * the shuffle (BigDL's parameter slices, without a block-manager protocol of our own):
 * <pre>
 * stage 1, P tasks:  worker w computes its contribution (vector [M] + scalars [S]),
 *                    cuts the vector into P slices and writes slice s for reducer s
 * stage 2, P tasks:  reducer s reads slice s of every worker and sums them in worker order 0..P-1
 * driver:            collects the P summed slices (M floats in all, whatever P)
 * </pre>
 * The order of the sum is fixed, so a task that Spark retries (a lost executor, an injected
 * failure) produces the same bits. The scalars (losses, counts) travel with slice 0 as doubles.
 * Driver ingress per step is M floats plus P small records: it does not grow as workers x model.
 */
public final class SliceAllReduce {
    /** What one worker gives: a vector of the same length M on every worker, and S scalars. */
    public record Contribution(float[] vector, double[] scalars) implements Serializable {}

    /** The element-wise sum over workers, computed in worker order. */
    public record Sum(float[] vector, double[] scalars) {}

    /** The worker's code, shipped to executors with its input. */
    @FunctionalInterface
    public interface Worker<T> extends Serializable {
        Contribution contribute(T input) throws Exception;
    }

    /** One worker's slice on its way to a reducer. */
    private record Part(int worker, byte[] values, double[] scalars) implements Serializable {}

    /** One reducer's sum. */
    private record SlicedSum(int slice, float[] values, double[] scalars) implements Serializable {}

    private final JavaSparkContext spark;
    private final int workerCount;
    private final FloatBytes transport;

    /**
     * @param transport how slices travel; the summation is in float32 either way
     */
    public SliceAllReduce(JavaSparkContext spark, int workerCount, FloatBytes transport) {
        if (workerCount < 1) {
            throw new IllegalArgumentException("--workers: expected 1 or more, got " + workerCount);
        }
        this.workerCount = workerCount;
        this.transport = transport;
        this.spark = spark;
    }

    public int workerCount() {
        return workerCount;
    }

    /**
     * Runs {@code worker} on input {@code w} as worker {@code w}, for every worker (one Spark job: the
     * inputs travel in the tasks), and returns the sum of their contributions.
     */
    public <T extends Serializable> Sum sum(List<T> inputs, Worker<T> worker) {
        if (inputs.size() != workerCount) {
            throw new IllegalArgumentException("expected one input per worker (" + workerCount + "), got " + inputs.size());
        }
        int p = workerCount;
        FloatBytes bytes = transport;
        // parallelize puts input w alone in partition w
        JavaRDD<Tuple2<Integer, Part>> sliced = spark.parallelize(inputs, p)
                .mapPartitionsWithIndex((w, in) -> cut(w, worker.contribute(in.next()), p, bytes), false);
        List<SlicedSum> slices = JavaPairRDD.fromJavaRDD(sliced)
                .partitionBy(new ByIndex(p))
                .mapPartitions(parts -> sumInWorkerOrder(parts, p, bytes))
                .collect();
        return join(slices);
    }

    /**
     * [M] -> P slices {@code [s * M / P, (s + 1) * M / P)}, encoded one at a time as the shuffle
     * writes them (a worker holds one slice's bytes, not a second copy of M); the scalars ride with slice 0.
     */
    private static Iterator<Tuple2<Integer, Part>> cut(int worker, Contribution c, int p, FloatBytes bytes) {
        int m = c.vector().length;
        return IntStream.range(0, p).mapToObj(s -> {
            int from = sliceStart(m, p, s);
            double[] scalars = s == 0 ? c.scalars() : new double[0];
            return new Tuple2<>(s, new Part(worker, bytes.encode(c.vector(), from, sliceStart(m, p, s + 1) - from),
                    scalars));
        }).iterator();
    }

    private static Iterator<SlicedSum> sumInWorkerOrder(Iterator<Tuple2<Integer, Part>> input, int p, FloatBytes bytes) {
        List<Tuple2<Integer, Part>> parts = new ArrayList<>(p);
        input.forEachRemaining(parts::add);
        if (parts.isEmpty()) {
            return List.<SlicedSum>of().iterator();
        }
        parts.sort(Comparator.comparingInt(t -> t._2().worker()));
        int slice = parts.get(0)._1();
        float[] sum = new float[parts.get(0)._2().values().length / bytes.bytesPerFloat()];
        double[] scalars = new double[parts.get(0)._2().scalars().length];
        for (Tuple2<Integer, Part> t : parts) {
            bytes.addInto(t._2().values(), sum);
            double[] s = t._2().scalars();
            for (int i = 0; i < scalars.length; i++) {
                scalars[i] += s[i];
            }
        }
        return List.of(new SlicedSum(slice, sum, scalars)).iterator();
    }

    private static Sum join(List<SlicedSum> slices) {
        List<SlicedSum> ordered = new ArrayList<>(slices);
        ordered.sort(Comparator.comparingInt(SlicedSum::slice));
        int m = ordered.stream().mapToInt(s -> s.values().length).sum();
        float[] vector = new float[m];
        int at = 0;
        for (SlicedSum s : ordered) {
            System.arraycopy(s.values(), 0, vector, at, s.values().length);
            at += s.values().length;
        }
        return new Sum(vector, ordered.getFirst().scalars());
    }

    static int sliceStart(int m, int p, int s) {
        return (int) ((long) m * s / p);
    }

    /** Slice s goes to reducer s. */
    private static final class ByIndex extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ByIndex(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ByIndex b && b.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
