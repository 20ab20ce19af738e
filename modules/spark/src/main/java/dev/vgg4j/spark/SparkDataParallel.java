package dev.vgg4j.spark;

import dev.vgg4j.data.Batch;
import dev.vgg4j.data.BatchSource;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.CrossEntropyLoss;
import dev.vgg4j.train.DataParallelStep;
import dev.vgg4j.train.Optimizer;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel training steps on Spark, one Spark job per global batch
 * ({@link SliceExchange}): the weights and the optimizer state live in P slices on the executors;
 * <pre>
 * worker w:   the current weights [M] into its replica, the averaged buffers and dropout counter;
 *             its images [B/P, C, H, W]: rows [w*B/P, (w+1)*B/P) of the batch, made from the
 *             broadcast dataset; forward/loss/backward over them (dropout masks are the global
 *             batch's rows); its gradients [M] stored as P slice blocks
 * reducer s:  slice s of the gradients summed in worker order, the optimizer's step on slice s
 * driver:     the batch's loss and accuracy; buffers and dropout counter averaged over workers
 * </pre>
 * The training data (the loader's {@link BatchSource}: uint8 images and the pipeline) is a Spark
 * broadcast, shipped to each executor once and fetched again by a new executor; or, made with
 * {@link #partitioned}, each worker reads its own part of it ({@link PartitionedData}). Each step the
 * driver sends which images each worker's rows are (dataset index and augmentation seed per row)
 * and the buffers, and receives per worker a loss and its buffers: its traffic grows with neither
 * the model nor the images. Its own model and optimizer are brought up to date by
 * {@link #syncToDriver()} (validation, checkpoints, end of the run).
 */
public final class SparkDataParallel implements DataParallelStep {
    /** What each worker reports: summed loss, correct predictions, rows; then {@link ReplicaBuffers#toScalars()}. */
    private static final int LOSS = 0;
    private static final int CORRECT = 1;
    private static final int ROWS = 2;
    private static final int BUFFERS = 3;

    private final JavaSparkContext spark;
    private final int workers;
    private final String backend;
    private final int threadsPerWorker;
    private final FloatBytes transport;
    private final boolean ownsSpark;
    /** The workers' own parts of the training set; null: the loader's data, broadcast ({@link #dataOf}). */
    private final PartitionedData partitioned;
    private Fault fault = (shard, attempt) -> {};
    private Model model;
    private Optimizer optimizer;
    private SliceExchange exchange;
    private ReplicaSpec spec;
    private ReplicaBuffers buffers;
    /** The training data on the executors, and the driver's object it was made of (a new loader's data replaces it). */
    private Broadcast<BatchSource> data;
    private BatchSource shipped;

    /** Tests make chosen task attempts fail, as a lost executor would, to check that Spark's retry gives the same result. */
    @FunctionalInterface
    interface Fault extends Serializable {
        void before(ShardInput shard, int attempt);
    }

    /**
     * @param backend          backend name on the executors (e.g. {@code cpu})
     * @param threadsPerWorker host threads of each replica; 0: the task's {@code spark.task.cpus}
     * @param transport        how gradient slices travel between executors
     */
    public SparkDataParallel(JavaSparkContext spark, int workers, String backend, int threadsPerWorker,
                             FloatBytes transport) {
        this(spark, workers, backend, threadsPerWorker, transport, false, null);
    }

    /**
     * An engine whose P workers each read and shuffle their own part of the CIFAR-10 batch files
     * in {@code cifarFolder} (a folder the driver and every executor see), images through
     * {@code pipeline}, global batches of {@code batchSize}, shuffles and augmentation from
     * {@code seed}: not the one-process run ({@link PartitionedData}). It steps through
     * {@link #ownData()}.
     */
    public static SparkDataParallel partitioned(JavaSparkContext spark, int workers, String backend, int threadsPerWorker,
                                                Path cifarFolder, ImagePipeline pipeline, int batchSize, long seed) {
        return partitioned(spark, workers, backend, threadsPerWorker, cifarFolder, pipeline, batchSize, seed, false);
    }

    /** @param ownsSpark stop {@code spark} on {@link #close()} (the CLI's own application) */
    static SparkDataParallel partitioned(JavaSparkContext spark, int workers, String backend, int threadsPerWorker,
                                         Path cifarFolder, ImagePipeline pipeline, int batchSize, long seed,
                                         boolean ownsSpark) {
        PartitionedData parts = PartitionedData.cifar(cifarFolder, workers, pipeline, batchSize, seed);
        parts.open(spark);
        return new SparkDataParallel(spark, workers, backend, threadsPerWorker, FloatBytes.FLOAT32, ownsSpark, parts);
    }

    /** @param ownsSpark stop {@code spark} on {@link #close()} (the CLI's own application) */
    SparkDataParallel(JavaSparkContext spark, int workers, String backend, int threadsPerWorker,
                      FloatBytes transport, boolean ownsSpark, PartitionedData partitioned) {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers: expected 1 or more, got " + workers);
        }
        this.spark = spark;
        this.workers = workers;
        this.backend = backend;
        this.threadsPerWorker = threadsPerWorker;
        this.transport = transport;
        this.ownsSpark = ownsSpark;
        this.partitioned = partitioned;
    }

    public int workers() {
        return workers;
    }

    @Override
    public String description() {
        return "Spark " + spark.version() + " " + spark.master() + ": " + workers + " workers x " + backend
                + (threadsPerWorker == 1 ? " (1 thread each)" : threadsPerWorker > 1 ? " (" + threadsPerWorker + " threads each)" : "")
                + (transport == FloatBytes.FLOAT32 ? "" : ", gradients in " + transport.name().toLowerCase(Locale.ROOT))
                + (partitioned == null ? "" : ", each reading its own part of " + partitioned.folder());
    }

    @Override
    public void load(Model model, Optimizer optimizer, Reduction reduction) {
        List<Parameter> parameters = model.parameters();
        List<Buffer> state = optimizer.stateBuffers();
        if (state.size() % parameters.size() != 0) {
            throw new IllegalArgumentException("the optimizer has " + state.size() + " state tensors for "
                    + parameters.size() + " parameters; expected a whole number of kinds, one tensor per parameter each");
        }
        FlatFloats weights = FlatFloats.shapedAs(parameters);
        download(parameters, Parameter::value, weights);
        int size = Math.toIntExact(weights.length());
        float[] flatState = new float[state.size() / parameters.size() * size];
        int at = 0;
        for (Buffer b : state) {
            float[] values = b.save().floats();
            System.arraycopy(values, 0, flatState, at, values.length);
            at += values.length;
        }
        if (exchange == null || this.model != model || this.optimizer != optimizer) {
            closeExchange();
            exchange = new SliceExchange(spark, workers, size, state.size() / parameters.size(), backend,
                    threadsPerWorker, optimizer.factory(), transport);
        }
        this.model = model;
        this.optimizer = optimizer;
        exchange.load(weights, flatState, optimizer.stateMetadata());
        spec = ReplicaSpec.of(exchange.run(), model, backend, threadsPerWorker, reduction);
        buffers = ReplicaBuffers.of(model);
    }

    /** A step over a loader's batch: the workers make its rows from the loader's data, broadcast once. */
    @Override
    public CrossEntropyLoss.Result step(Batch batch, double learningRate) {
        if (partitioned != null) {
            throw new IllegalStateException("this engine trains on partitioned data: step through ownData()");
        }
        Broadcast<BatchSource> d = dataOf(batch);
        return step(ShardInput.split(batch, workers), worker -> d.value(), batch.index(), learningRate);
    }

    /** With partitioned data: its epochs, and steps in which each worker takes its rows from its own part. */
    @Override
    public Optional<OwnData> ownData() {
        if (partitioned == null) {
            return Optional.empty();
        }
        return Optional.of(new OwnData() {
            @Override
            public int batchesPerEpoch() {
                return partitioned.batchesPerEpoch();
            }

            @Override
            public long seed() {
                return partitioned.seed();
            }

            @Override
            public CrossEntropyLoss.Result step(int epoch, int batch, double learningRate) {
                return SparkDataParallel.this.step(partitioned.shards(epoch, batch), partitioned::part, batch,
                        learningRate);
            }
        });
    }

    private CrossEntropyLoss.Result step(List<ShardInput> shards, ShardInput.Source source, int batchIndex,
                                         double learningRate) {
        if (exchange == null) {
            throw new IllegalStateException("no model loaded: call load before the first step");
        }
        ReplicaSpec s = spec;
        ReplicaBuffers b = buffers;
        Fault injected = fault;
        try {
            List<double[]> reports = exchange.step(shards, (shard, slices) -> {
                injected.before(shard, TaskContext.get().attemptNumber());
                return contribute(s, b, shard.batch(source), shard, slices);
            }, learningRate);
            double loss = 0;
            double correct = 0;
            double rows = 0;
            for (double[] r : reports) {
                loss += r[LOSS];
                correct += r[CORRECT];
                rows += r[ROWS];
            }
            buffers = b.averageOf(reports, BUFFERS);
            return new CrossEntropyLoss.Result(loss, Math.round(correct), (int) Math.round(rows));
        } catch (Exception e) { // Spark retried every task it could (spark.task.maxFailures) and gave up
            throw new IllegalStateException("the Spark job of batch " + (batchIndex + 1) + " failed on "
                    + spark.master() + " after Spark's retries: " + JobFailure.reason(e), e);
        }
    }

    @Override
    public void syncToDriver() {
        List<Parameter> parameters = model.parameters();
        FlatFloats weights = FlatFloats.shapedAs(parameters);
        exchange.readWeights(weights);
        upload(weights, parameters, Parameter::value);
        float[] state = exchange.optimizerState();
        List<Buffer> stateBuffers = optimizer.stateBuffers();
        int at = 0;
        try {
            buffers.applyTo(model);
            for (int i = 0; i < stateBuffers.size(); i++) {
                int[] shape = parameters.get(i % parameters.size()).value().shape().dims();
                float[] values = new float[parameters.get(i % parameters.size()).value().size()];
                System.arraycopy(state, at, values, 0, values.length);
                at += values.length;
                stateBuffers.get(i).load(TensorEntry.f32(stateBuffers.get(i).name(), shape, values), "the workers' optimizer state");
            }
            double lr = optimizer.learningRate(); // the scheduler's, set on this process
            optimizer.restoreMetadata(exchange.optimizerMetadata(), "the workers' optimizer state");
            optimizer.setLearningRate(lr);
        } catch (CheckpointException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The broadcast of the data {@code batch} was made from, shipped once for all steps of its loader. */
    private Broadcast<BatchSource> dataOf(Batch batch) {
        Batch.Origin origin = batch.origin();
        if (origin == null) {
            throw new IllegalArgumentException("batch " + (batch.index() + 1) + " was not made by a DataLoader: the"
                    + " workers make their rows from the loader's dataset, shipped to them once");
        }
        if (shipped != origin.source()) {
            destroyData();
            data = spark.broadcast(origin.source());
            shipped = origin.source();
        }
        return data;
    }

    private void destroyData() {
        if (data != null) {
            data.destroy();
            data = null;
            shipped = null;
        }
    }

    void injectFault(Fault f) {
        this.fault = f;
    }

    /** The thread CPU time of the loaded run's task phases (for {@link StepBenchmark}'s profile). */
    SliceExchange.Phases phases() {
        return exchange.phases();
    }

    /**
     * Executor side: the step's weights into a replica (through its host arrays, which then take
     * its gradients out), the gradients of one shard's {@code rows}, and its report.
     */
    private static double[] contribute(ReplicaSpec spec, ReplicaBuffers buffers, Batch rows, ShardInput shard,
                                       SliceExchange.WorkerSlices slices) throws Exception {
        return Replicas.with(spec, TaskContext.get().cpus(), replica -> {
            Model model = replica.model();
            slices.readWeights(replica.host());
            upload(replica.host(), model.parameters(), Parameter::value);
            buffers.applyTo(model);
            CrossEntropyLoss.Result r = replica.step().compute(rows, shard.shard());
            download(model.parameters(), Parameter::grad, replica.host());
            slices.writeGradient(replica.host());
            double[] after = ReplicaBuffers.of(model).toScalars();
            double[] report = new double[BUFFERS + after.length];
            report[LOSS] = r.summedLoss();
            report[CORRECT] = r.correct();
            report[ROWS] = r.samples();
            System.arraycopy(after, 0, report, BUFFERS, after.length);
            return report;
        });
    }

    /** The tensors {@code of(p)} of {@code parameters} into the pieces of {@code dst}, in order (waits for pending ops). */
    private static void download(List<Parameter> parameters, Function<Parameter, Tensor> of, FlatFloats dst) {
        for (int i = 0; i < parameters.size(); i++) {
            Tensor t = of.apply(parameters.get(i));
            t.backend().download(t, dst.piece(i));
        }
    }

    /** The pieces of {@code src} into the tensors {@code of(p)} of {@code parameters}, in order. */
    private static void upload(FlatFloats src, List<Parameter> parameters, Function<Parameter, Tensor> of) {
        for (int i = 0; i < parameters.size(); i++) {
            Tensor t = of.apply(parameters.get(i));
            t.backend().upload(src.piece(i), t);
        }
    }

    private void closeExchange() {
        if (exchange != null) {
            exchange.close();
            exchange = null;
        }
    }

    /** Drops the run's slices and training data, and frees the replicas that live in this JVM (local mode); executors free theirs when the application ends. */
    @Override
    public void close() {
        closeExchange();
        destroyData();
        if (partitioned != null) {
            partitioned.release();
        }
        if (ownsSpark) {
            spark.stop();
        }
    }
}
