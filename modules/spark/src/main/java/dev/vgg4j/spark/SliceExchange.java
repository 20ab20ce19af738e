package dev.vgg4j.spark;

import dev.vgg4j.train.Optimizer;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.BlockId;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel steps over a flat parameter vector [M] cut into P slices
 * {@code [s*M/P, (s+1)*M/P)}, BigDL's design in Spark's own parts: the slices of the weights, of
 * the optimizer state and of each worker's gradient are blocks of raw bytes in the executors'
 * block managers, and a step is ONE Spark job:
 * <pre>
 * map task w (P of them):    weights [M] = the P weight slices at version t (its own local, the others fetched)
 *                            worker(input w): gradient [M] + scalars; the gradient stored as P slice blocks
 *                            (w, s), the scalars shuffled to reducer 0 (the shuffle is the stage boundary)
 * reducer s (P of them):     gradient slice s = the P blocks (w, s) summed in worker order 0..P-1
 *                            optimizer step on slice s (its weights and state kept in the executor between steps)
 *                            stores version t+1 of the weights and state; returns the workers' scalars (reducer 0)
 * driver:                    collects P small results, then drops version t (in the background)
 * </pre>
 * Reducer s and map task s prefer the executor that holds slice s ({@link PlacedShuffle}), so an
 * executor reads and writes its own slice locally and fetches the other P-1. Per step the driver
 * sends the inputs and receives the scalars; the weights never pass through it. Versions are
 * written once (copy-on-write) and the sum's order is fixed, so a task that Spark retries gives
 * the same bits. {@link #load} puts a state in, {@link #readWeights} and {@link #optimizerState()}
 * take it out (the driver fetches the slices).
 */
final class SliceExchange implements AutoCloseable {
    private static final String WEIGHTS = "weights";
    private static final String OPTIMIZER = "optimizer";
    private static final String GRADIENT = "gradient";

    /**
     * The worker's code, shipped to executors: with its input, it reads the step's weights [M]
     * from {@code slices}, computes, writes its gradient [M] to {@code slices}, and returns its
     * scalars (the same count for every worker).
     */
    @FunctionalInterface
    interface Worker<T> extends Serializable {
        double[] contribute(T input, WorkerSlices slices) throws Exception;
    }

    /** A map task's access to the step's slices. */
    interface WorkerSlices {
        /** The weights at the step's version into {@code dst} [M]. */
        void readWeights(FlatFloats dst);

        /** Stores {@code gradient} [M] as P slice blocks, in the transport's encoding; once per task. */
        void writeGradient(FlatFloats gradient);
    }

    /**
     * What every task needs to know about the run: its id, P, M, the optimizer's state kinds K (a
     * block per kind and slice), how to make the optimizer and on which backend,
     * and the counters of the tasks' phases.
     */
    record Spec(String run, int workers, int size, int stateKinds, String backend, int threads,
                Optimizer.Factory optimizer, FloatBytes transport, Phases phases) implements Serializable {
        int start(int slice) {
            return sliceStart(size, workers, slice);
        }

        int length(int slice) {
            return start(slice + 1) - start(slice);
        }

        BlockId weights(int slice, long version) {
            return SliceBlocks.id(run, WEIGHTS, slice, version);
        }

        /** Kind {@code kind} (Adam: 0 the first moments, 1 the second) of the optimizer state of slice {@code slice}. */
        BlockId optimizer(int kind, int slice, long version) {
            return SliceBlocks.id(run, OPTIMIZER + "-" + kind, slice, version);
        }

        BlockId gradient(int worker, int slice, long version) {
            return SliceBlocks.id(run, GRADIENT + "-" + worker, slice, version);
        }
    }

    /**
     * Thread CPU time of the tasks' phases, summed over tasks (Spark accumulators: successful tasks
     * only). Map task: weights read into the replica, gradient stored; reducer: gradient blocks
     * summed, optimizer step, next version stored. The rest of a map task is the worker's own.
     */
    record Phases(LongAccumulator weightsIn, LongAccumulator gradientOut, LongAccumulator sum,
                  LongAccumulator update, LongAccumulator store) implements Serializable {
        static Phases register(JavaSparkContext spark) {
            return new Phases(spark.sc().longAccumulator("map task: weights in"),
                    spark.sc().longAccumulator("map task: gradient out"), spark.sc().longAccumulator("reducer: sum"),
                    spark.sc().longAccumulator("reducer: optimizer"), spark.sc().longAccumulator("reducer: store"));
        }

        /** Each phase's CPU ms per task over {@code tasks} tasks of its kind, e.g. {@code weights in 120}. */
        String describe(long tasks) {
            return String.format(Locale.ROOT, "map task: weights in %.0f ms, gradient out %.0f ms;"
                    + " reducer: sum %.0f ms, optimizer %.0f ms, store %.0f ms",
                    weightsIn.value() * 1e-6 / tasks, gradientOut.value() * 1e-6 / tasks, sum.value() * 1e-6 / tasks,
                    update.value() * 1e-6 / tasks, store.value() * 1e-6 / tasks);
        }

        void reset() {
            List.of(weightsIn, gradientOut, sum, update, store).forEach(LongAccumulator::reset);
        }

        /** This thread's CPU time, ns: a phase adds the difference of two readings. */
        static long cpuNanos() {
            return CPU.getCurrentThreadCpuTime();
        }
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** One worker's scalars on their way to reducer 0 (the other reducers get an empty part: they only wait for the stage). */
    record Part(int worker, double[] scalars) implements Serializable {}

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
    /** Drops old versions off the step's path: a removal is a call to the block manager master per block. */
    private final ExecutorService dropper = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
            .name("vgg4j-slice-dropper").factory());

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
                transport, Phases.register(spark));
        this.locations = new String[workers];
    }

    int workers() {
        return spec.workers();
    }

    String run() {
        return spec.run();
    }

    /** The tasks' phase counters since the exchange was made or last reset. */
    Phases phases() {
        return spec.phases();
    }

    /**
     * Driver: makes {@code weights} [M], {@code optimizerState} [K][M] (kind-major) and the
     * optimizer's {@code metadata} (step count, learning rate) the state the next step starts from.
     */
    void load(FlatFloats weights, float[] optimizerState, Map<String, String> metadata) {
        long next = version + 1;
        int m = spec.size();
        for (int s = 0; s < spec.workers(); s++) {
            int from = spec.start(s);
            int length = spec.length(s);
            BlockId id = spec.weights(s, next);
            SliceBlocks.put(id, encode(id, weights, from, length, FloatBytes.FLOAT32));
            for (int k = 0; k < spec.stateKinds(); k++) {
                BlockId kind = spec.optimizer(k, s, next);
                SliceBlocks.put(kind, encode(kind, FlatFloats.of(optimizerState), k * m + from, length, FloatBytes.FLOAT32));
            }
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
                .mapPartitionsWithIndex((w, input) -> contribute(s, v, w, worker, (T) input.next()), false);
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

    /** Driver: the current weights into {@code dst} [M], fetched from the slices' executors. */
    void readWeights(FlatFloats dst) {
        readWeights(spec, version, dst);
    }

    /** Driver: the current optimizer state [K][M], kind-major. */
    float[] optimizerState() {
        int m = spec.size();
        float[] all = new float[spec.stateKinds() * m];
        for (int s = 0; s < spec.workers(); s++) {
            for (int k = 0; k < spec.stateKinds(); k++) {
                SliceBlocks.readInto(spec.optimizer(k, s, version), all, k * m + spec.start(s));
            }
        }
        return all;
    }

    /** The optimizer's metadata (step count, learning rate) after the last step. */
    Map<String, String> optimizerMetadata() {
        return Map.copyOf(optimizerMetadata);
    }

    private static void readWeights(Spec s, long version, FlatFloats dst) {
        if (dst.length() != s.size()) {
            throw new IllegalArgumentException("weights of " + s.size() + " floats cannot go into " + dst.length());
        }
        // each slice decodes into its own range of dst: the fetched ones while the local ones are read
        Map<BlockId, SliceBlocks.ChunkReader> readers = new LinkedHashMap<>();
        for (int slice = 0; slice < s.workers(); slice++) {
            long start = s.start(slice);
            readers.put(s.weights(slice, version), (chunk, byteOffset) -> dst.forRange(
                    start + byteOffset / Float.BYTES, chunk.byteSize() / Float.BYTES,
                    (piece, at, length, offset) -> FloatBytes.decodeFloat32(chunk, offset, piece, at, length)));
        }
        SliceBlocks.readAll(readers);
    }

    /** {@code values[from, from + length)} of [M] as the bytes of block {@code id}. */
    private static ByteBuffer encode(BlockId id, FlatFloats values, int from, int length, FloatBytes transport) {
        ByteBuffer bytes = SliceBlocks.allocate(id, (long) length * transport.bytesPerFloat());
        MemorySegment dst = MemorySegment.ofBuffer(bytes);
        values.forRange(from, length, (piece, at, count, offset) -> transport.encode(piece, at, count, dst, offset));
        return bytes;
    }

    /** Map task {@code worker}: the worker's step between reading the weights and storing its gradient slices. */
    private static <T> Iterator<Tuple2<Integer, Part>> contribute(Spec s, long version, int worker, Worker<T> code,
                                                                  T input) throws Exception {
        boolean[] written = new boolean[1];
        double[] scalars = code.contribute(input, new WorkerSlices() {
            @Override
            public void readWeights(FlatFloats dst) {
                long start = Phases.cpuNanos();
                SliceExchange.readWeights(s, version, dst);
                s.phases().weightsIn().add(Phases.cpuNanos() - start);
            }

            @Override
            public void writeGradient(FlatFloats gradient) {
                if (gradient.length() != s.size()) {
                    throw new IllegalStateException("worker " + worker + " gave " + gradient.length()
                            + " gradients, expected " + s.size());
                }
                long start = Phases.cpuNanos();
                for (int slice = 0; slice < s.workers(); slice++) {
                    BlockId id = s.gradient(worker, slice, version);
                    SliceBlocks.put(id, encode(id, gradient, s.start(slice), s.length(slice), s.transport()));
                }
                s.phases().gradientOut().add(Phases.cpuNanos() - start);
                written[0] = true;
            }
        });
        if (!written[0]) {
            throw new IllegalStateException("worker " + worker + " returned without writing its gradient");
        }
        return IntStream.range(0, s.workers()).mapToObj(slice -> new Tuple2<>(slice,
                new Part(worker, slice == 0 ? scalars : new double[0]))).iterator();
    }

    /** Reducer: sums slice {@code slice}'s gradient blocks in worker order, steps the optimizer, stores version+1. */
    private static SliceResult update(Spec s, long version, int slice, Iterator<Tuple2<Integer, Part>> input,
                                      double learningRate, HashMap<String, String> metadata) throws Exception {
        List<Part> parts = new ArrayList<>(s.workers());
        input.forEachRemaining(t -> parts.add(t._2()));
        if (parts.size() != s.workers()) {
            throw new IllegalStateException("slice " + slice + " got " + parts.size() + " parts, expected " + s.workers());
        }
        parts.sort(Comparator.comparingInt(Part::worker));
        HashMap<String, String> after = SliceOptimizer.with(s, slice, optimizer -> {
            long start = Phases.cpuNanos();
            float[] gradient = optimizer.gradient();
            Arrays.fill(gradient, 0f);
            for (Part p : parts) {
                SliceBlocks.read(s.gradient(p.worker(), slice, version), (chunk, byteOffset) -> s.transport()
                        .addInto(chunk, gradient, Math.toIntExact(byteOffset / s.transport().bytesPerFloat())));
            }
            long summed = Phases.cpuNanos();
            HashMap<String, String> stepped = optimizer.step(s, slice, version, metadata, learningRate);
            long updated = Phases.cpuNanos();
            optimizer.store(s, slice);
            s.phases().sum().add(summed - start);
            s.phases().update().add(updated - summed);
            s.phases().store().add(Phases.cpuNanos() - updated);
            return stepped;
        });
        return slice == 0
                ? new SliceResult(slice, Locations.here(), parts.stream().map(Part::scalars).toList(), after)
                : new SliceResult(slice, Locations.here(), null, null);
    }

    /** Removes version {@code v}'s blocks, off the caller's thread. */
    private void dropVersion(long v) {
        if (v < 0) {
            return;
        }
        Spec s = spec;
        dropper.execute(() -> {
            for (int slice = 0; slice < s.workers(); slice++) {
                SliceBlocks.remove(s.weights(slice, v));
                for (int k = 0; k < s.stateKinds(); k++) {
                    SliceBlocks.remove(s.optimizer(k, slice, v));
                }
                for (int w = 0; w < s.workers(); w++) {
                    SliceBlocks.remove(s.gradient(w, slice, v));
                }
            }
        });
    }

    /** Java's view of Scala's ClassTag for reference types (what an RDD of records needs). */
    @SuppressWarnings("unchecked")
    private static <T> ClassTag<T> anyRef() {
        return (ClassTag<T>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
    }

    static int sliceStart(int m, int p, int s) {
        return (int) ((long) m * s / p);
    }

    /** Drops the blocks of the current version, waits for the drops, and frees this JVM's pooled objects of the run (local mode). */
    @Override
    public void close() {
        dropVersion(version);
        dropper.shutdown();
        try {
            if (!dropper.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the run's old parameter slices were not dropped within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ExecutorPool.release(spec.run());
            SliceBlocks.release(spec.run());
        }
    }
}
