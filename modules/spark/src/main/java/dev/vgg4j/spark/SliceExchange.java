package dev.vgg4j.spark;

import dev.vgg4j.train.Optimizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.BlockId;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel steps over a flat parameter vector [M] cut into P slices
 * {@code [s*M/P, (s+1)*M/P)}, BigDL's design in Spark's own parts: the slices of the weights and
 * of the optimizer state live in the executors' block managers, and a step is ONE Spark job:
 * <pre>
 * map task w (P of them):    weights [M] = the P weight slices at version t (its own local, the others fetched)
 *                            contribution = worker(input w, weights): gradient [M] + scalars
 *                            gradient cut into P slices, slice s shuffled to reducer s (raw bytes)
 * reducer s (P of them):     gradient slice = sum over workers in worker order 0..P-1
 *                            optimizer step on (weight slice s, state slice s) at version t
 *                            stores version t+1 of both; returns the workers' scalars (reducer 0)
 * driver:                    collects P small results, then drops version t
 * </pre>
 * Reducer s and map task s prefer the executor that holds slice s ({@link PlacedShuffle}), so an
 * executor reads and writes its own slice locally and fetches the other P-1. Per step the driver
 * sends the inputs and receives the scalars; the weights never pass through it. Versions are
 * written once (copy-on-write) and the sum's order is fixed, so a task that Spark retries gives
 * the same bits. {@link #load} puts a state in, {@link #weights()} and {@link #optimizerState()}
 * take it out (the driver fetches the slices).
 */
final class SliceExchange implements AutoCloseable {
    private static final String WEIGHTS = "weights";
    private static final String OPTIMIZER = "optimizer";

    /** What one worker gives: a gradient of M floats and S scalars (the same S for every worker). */
    record Contribution(float[] gradient, double[] scalars) implements Serializable {}

    /** The worker's code, shipped to executors: its input and the current weights [M] -> its contribution. */
    @FunctionalInterface
    interface Worker<T> extends Serializable {
        Contribution contribute(T input, float[] weights) throws Exception;
    }

    /**
     * What every task needs to know about the run: its id, P, M, the optimizer's state kinds K (its
     * state slice is [K][slice length], kind-major), how to make the optimizer and on which backend.
     */
    record Spec(String run, int workers, int size, int stateKinds, String backend, int threads,
                Optimizer.Factory optimizer, FloatBytes transport) implements Serializable {
        int start(int slice) {
            return sliceStart(size, workers, slice);
        }

        int length(int slice) {
            return start(slice + 1) - start(slice);
        }

        BlockId weights(int slice, long version) {
            return SliceBlocks.id(run, WEIGHTS, slice, version);
        }

        BlockId optimizer(int slice, long version) {
            return SliceBlocks.id(run, OPTIMIZER, slice, version);
        }
    }

    /** One worker's gradient slice on its way to a reducer; the scalars ride with slice 0. */
    record Part(int worker, byte[] gradient, double[] scalars) implements Serializable {}

    /** What reducer s returns: where it ran; reducer 0 also the workers' scalars and the optimizer's metadata after the step. */
    record SliceResult(int slice, String location, List<double[]> workerScalars, HashMap<String, String> optimizerMetadata)
            implements Serializable {}


    private final JavaSparkContext spark;
    private final Spec spec;
    /** The version of the state in the blocks; -1 before {@link #load}. */
    private long version = -1;
    private HashMap<String, String> optimizerMetadata;
    /** Where each slice's state lives, as Spark task locations; null until a reducer reported it. */
    private final String[] locations;

    /**
     * @param stateKinds kinds of optimizer state per parameter (Adam: 2, SGD with momentum: 1)
     * @param transport  how gradient slices travel; sums and optimizer run in float32 either way
     */
    SliceExchange(JavaSparkContext spark, int workers, int size, int stateKinds, String backend, int threads,
                  Optimizer.Factory optimizer, FloatBytes transport) {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers: expected 1 or more, got " + workers);
        }
        this.spark = spark;
        this.spec = new Spec(UUID.randomUUID().toString(), workers, size, stateKinds, backend, threads, optimizer,
                transport);
        this.locations = new String[workers];
    }

    int workers() {
        return spec.workers();
    }

    String run() {
        return spec.run();
    }

    /**
     * Driver: makes {@code weights} [M], {@code optimizerState} [K][M] (kind-major) and the
     * optimizer's {@code metadata} (step count, learning rate) the state the next step starts from.
     */
    void load(float[] weights, float[] optimizerState, Map<String, String> metadata) {
        long next = version + 1;
        int m = spec.size();
        for (int s = 0; s < spec.workers(); s++) {
            int from = spec.start(s);
            int length = spec.length(s);
            float[] state = new float[spec.stateKinds() * length];
            for (int k = 0; k < spec.stateKinds(); k++) {
                System.arraycopy(optimizerState, k * m + from, state, k * length, length);
            }
            SliceBlocks.put(spec.weights(s, next), Arrays.copyOfRange(weights, from, from + length));
            SliceBlocks.put(spec.optimizer(s, next), state);
            locations[s] = null; // the driver holds them now: the first step's tasks go where Spark likes
        }
        dropVersion(version);
        version = next;
        optimizerMetadata = new HashMap<>(metadata);
    }

    /**
     * One step: worker w gets {@code inputs.get(w)} and the current weights; the summed gradient
     * updates the weights with {@code learningRate}. Returns each worker's scalars, in worker order.
     */
    <T extends Serializable> List<double[]> step(List<T> inputs, Worker<T> worker, double learningRate) {
        if (inputs.size() != spec.workers()) {
            throw new IllegalArgumentException("expected one input per worker (" + spec.workers() + "), got " + inputs.size());
        }
        if (version < 0) {
            throw new IllegalStateException("no state loaded: call load before the first step");
        }
        Spec s = spec;
        long v = version;
        HashMap<String, String> metadata = optimizerMetadata;
        List<Tuple2<Object, Seq<String>>> placed = new ArrayList<>();
        for (int w = 0; w < s.workers(); w++) {
            placed.add(new Tuple2<>(inputs.get(w), Locations.of(locations[w])));
        }
        // makeRDD: one partition per input, in order, each preferring its slice's executor
        RDD<Object> in = spark.sc().makeRDD(CollectionConverters.asScala(placed).toSeq(), anyRef());
        @SuppressWarnings("unchecked")
        JavaRDD<Tuple2<Integer, Part>> parts = JavaRDD.fromRDD(in, anyRef())
                .mapPartitionsWithIndex((w, input) -> cut(s, v, w, worker.contribute((T) input.next(), weights(s, v)))
                        , false);
        List<SliceResult> results = JavaRDD.<Tuple2<Integer, Part>>fromRDD(new PlacedShuffle(parts.rdd(), locations), anyRef())
                .mapPartitionsWithIndex((slice, sliceParts) -> List.of(update(s, v, slice, sliceParts, learningRate,
                        metadata)).iterator(), false)
                .collect();
        SliceResult first = null;
        for (SliceResult r : results) {
            locations[r.slice()] = r.location();
            if (r.slice() == 0) {
                first = r;
            }
        }
        dropVersion(v);
        version = v + 1;
        optimizerMetadata = first.optimizerMetadata();
        return first.workerScalars();
    }

    /** Driver: the current weights [M], fetched from the slices' executors. */
    float[] weights() {
        return weights(spec, version);
    }

    /** Driver: the current optimizer state [K][M], kind-major. */
    float[] optimizerState() {
        int m = spec.size();
        float[] all = new float[spec.stateKinds() * m];
        for (int s = 0; s < spec.workers(); s++) {
            int length = spec.length(s);
            float[] state = new float[spec.stateKinds() * length];
            SliceBlocks.readInto(spec.optimizer(s, version), state, 0);
            for (int k = 0; k < spec.stateKinds(); k++) {
                System.arraycopy(state, k * length, all, k * m + spec.start(s), length);
            }
        }
        return all;
    }

    /** The optimizer's metadata (step count, learning rate) after the last step. */
    Map<String, String> optimizerMetadata() {
        return Map.copyOf(optimizerMetadata);
    }

    private static float[] weights(Spec s, long version) {
        float[] weights = new float[s.size()];
        for (int slice = 0; slice < s.workers(); slice++) {
            SliceBlocks.readInto(s.weights(slice, version), weights, s.start(slice));
        }
        return weights;
    }

    /**
     * gradient [M] -> P slices, encoded one at a time as the shuffle writes them (the task holds one
     * slice's bytes, not a second copy of M).
     */
    private static Iterator<Tuple2<Integer, Part>> cut(Spec s, long version, int worker, Contribution c) {
        if (c.gradient().length != s.size()) {
            throw new IllegalStateException("worker " + worker + " gave " + c.gradient().length + " gradients, expected "
                    + s.size());
        }
        return IntStream.range(0, s.workers()).mapToObj(slice -> new Tuple2<>(slice, new Part(worker,
                s.transport().encode(c.gradient(), s.start(slice), s.length(slice)),
                slice == 0 ? c.scalars() : new double[0]))).iterator();
    }

    /** Reducer: sums slice {@code slice}'s parts in worker order, steps the optimizer, stores version+1. */
    private static SliceResult update(Spec s, long version, int slice, Iterator<Tuple2<Integer, Part>> input,
                                      double learningRate, HashMap<String, String> metadata) throws Exception {
        List<Part> parts = new ArrayList<>(s.workers());
        input.forEachRemaining(t -> parts.add(t._2()));
        if (parts.size() != s.workers()) {
            throw new IllegalStateException("slice " + slice + " got " + parts.size() + " parts, expected " + s.workers());
        }
        parts.sort(Comparator.comparingInt(Part::worker));
        int length = s.length(slice);
        float[] gradient = new float[length];
        for (Part p : parts) {
            s.transport().addInto(p.gradient(), gradient);
        }
        // fresh copies of version t: version t stays as it was for a retried task
        float[] weights = new float[length];
        float[] state = new float[s.stateKinds() * length];
        SliceBlocks.readInto(s.weights(slice, version), weights, 0);
        SliceBlocks.readInto(s.optimizer(slice, version), state, 0);
        HashMap<String, String> after = SliceOptimizer.step(s, weights, gradient, state, metadata, learningRate);
        SliceBlocks.put(s.weights(slice, version + 1), weights);
        SliceBlocks.put(s.optimizer(slice, version + 1), state);
        return slice == 0
                ? new SliceResult(slice, Locations.here(), parts.stream().map(Part::scalars).toList(), after)
                : new SliceResult(slice, Locations.here(), null, null);
    }

    private void dropVersion(long v) {
        if (v < 0) {
            return;
        }
        for (int s = 0; s < spec.workers(); s++) {
            SliceBlocks.remove(spec.weights(s, v));
            SliceBlocks.remove(spec.optimizer(s, v));
        }
    }

    /** Java's view of Scala's ClassTag for reference types (what an RDD of records needs). */
    @SuppressWarnings("unchecked")
    private static <T> ClassTag<T> anyRef() {
        return (ClassTag<T>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
    }

    static int sliceStart(int m, int p, int s) {
        return (int) ((long) m * s / p);
    }

    /** Drops the blocks of the current version and frees this JVM's pooled objects of the run (local mode). */
    @Override
    public void close() {
        dropVersion(version);
        ExecutorPool.release(spec.run());
    }
}
