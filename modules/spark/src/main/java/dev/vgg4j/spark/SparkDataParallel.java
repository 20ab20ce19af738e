package dev.vgg4j.spark;

import dev.vgg4j.data.Batch;
import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.train.CrossEntropyLoss;
import dev.vgg4j.train.DataParallelGradients;
import dev.vgg4j.train.GradientStep;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel gradients on Spark, one Spark job per global batch:
 * <pre>
 * driver:    broadcast the model's state (weights, running statistics, dropout counter)
 * worker w:  load it into its replica, forward/loss/backward over rows [w*B/P, (w+1)*B/P) of the batch
 *            (dropout masks are the global batch's rows), flatten the gradients [M]
 * exchange:  SliceAllReduce: shuffle by slice, each slice summed in worker order 0..P-1
 * driver:    summed gradients -> model's Parameter.grad(); running statistics and dropout
 *            counter averaged over workers -> model's buffers and seeds
 * </pre>
 * The trainer then applies its optimizer step on the driver, so every replica starts the next step
 * from the same weights: they cannot drift. Per step the driver sends one batch of images, the
 * weights once (Spark's torrent broadcast: executors also fetch pieces from each other) and receives
 * the summed gradients once, whatever the worker count.
 */
public final class SparkDataParallel implements DataParallelGradients {
    /** Scalars each worker sends: summed loss, correct predictions, rows, dropout counter; then the buffers. */
    private static final int LOSS = 0;
    private static final int CORRECT = 1;
    private static final int ROWS = 2;
    private static final int DROPOUT_STATE = 3;
    private static final int FIRST_BUFFER = 4;

    private final JavaSparkContext spark;
    private final SliceAllReduce exchange;
    private final String backend;
    private final int threadsPerWorker;
    private final boolean ownsSpark;
    private final String run = UUID.randomUUID().toString();
    private Fault fault = (shard, attempt) -> {};

    /** Tests make chosen task attempts fail, as a lost executor would, to check that Spark's retry gives the same result. */
    @FunctionalInterface
    interface Fault extends Serializable {
        void before(ShardInput shard, int attempt);
    }

    /**
     * @param backend          backend name on the executors (e.g. {@code cpu})
     * @param threadsPerWorker host threads of each replica; 0: the task's {@code spark.task.cpus}
     */
    public SparkDataParallel(JavaSparkContext spark, int workers, String backend, int threadsPerWorker,
                             FloatBytes transport) {
        this(spark, workers, backend, threadsPerWorker, transport, false);
    }

    /** @param ownsSpark stop {@code spark} on {@link #close()} (the CLI's own application) */
    SparkDataParallel(JavaSparkContext spark, int workers, String backend, int threadsPerWorker,
                      FloatBytes transport, boolean ownsSpark) {
        this.spark = spark;
        this.ownsSpark = ownsSpark;
        this.exchange = new SliceAllReduce(spark, workers, transport);
        this.backend = backend;
        this.threadsPerWorker = threadsPerWorker;
    }

    public int workers() {
        return exchange.workerCount();
    }

    @Override
    public String description() {
        return "Spark " + spark.version() + " " + spark.master() + ": " + workers() + " workers x " + backend
                + (threadsPerWorker == 1 ? " (1 thread each)" : threadsPerWorker > 1 ? " (" + threadsPerWorker + " threads each)" : "");
    }

    @Override
    public CrossEntropyLoss.Result compute(Model model, Batch batch, Reduction reduction) {
        ReplicaSpec spec = ReplicaSpec.of(run, model, backend, threadsPerWorker, reduction);
        Broadcast<ReplicaState> state = spark.broadcast(ReplicaState.of(model));
        Fault injected = fault;
        try {
            SliceAllReduce.Sum sum = exchange.sum(ShardInput.split(batch, workers()), shard -> {
                injected.before(shard, TaskContext.get().attemptNumber());
                return contribute(spec, state.value(), shard);
            });
            applyTo(model, sum);
            double[] s = sum.scalars();
            return new CrossEntropyLoss.Result(s[LOSS], Math.round(s[CORRECT]), (int) Math.round(s[ROWS]));
        } catch (Exception e) { // Scala throws the checked SparkException without declaring it
            if (!(e instanceof SparkException)) {
                throw e;
            }
            // Spark retried every task it could (spark.task.maxFailures) and gave up: one line, no Spark stack trace
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalStateException("the Spark job of batch " + (batch.index() + 1) + " failed on "
                    + spark.master() + " after Spark's retries: " + reason, e);
        } finally {
            state.destroy();
        }
    }

    void injectFault(Fault f) {
        this.fault = f;
    }

    /** Executor side: the gradients of one shard, flattened, and the replica's state after the step. */
    private static SliceAllReduce.Contribution contribute(ReplicaSpec spec, ReplicaState state, ShardInput shard)
            throws CheckpointException {
        Replicas.Replica replica = Replicas.take(spec, TaskContext.get().cpus());
        try {
            SliceAllReduce.Contribution c = gradientsOf(replica.model(), replica.step(), state, shard);
            Replicas.giveBack(spec, replica);
            return c;
        } catch (RuntimeException | CheckpointException e) {
            replica.close();
            throw e;
        }
    }

    private static SliceAllReduce.Contribution gradientsOf(Model model, GradientStep step, ReplicaState state,
                                                          ShardInput shard) throws CheckpointException {
        state.applyTo(model);
        CrossEntropyLoss.Result r = step.compute(shard.batch(), shard.shard());
        float[] gradients = new float[state.parameters().length];
        int at = 0;
        for (Parameter p : model.parameters()) {
            at = ReplicaState.downloadInto(p.grad(), gradients, at);
        }
        List<Double> scalars = new ArrayList<>(List.of(r.summedLoss(), (double) r.correct(), (double) r.samples(),
                (double) model.dropoutSeeds().state()));
        for (Buffer b : model.buffers()) {
            ReplicaState.BufferValue v = ReplicaState.BufferValue.of(b.save());
            for (int i = 0; i < v.size(); i++) {
                scalars.add(v.floats() != null ? v.floats()[i] : (double) v.longs()[i]);
            }
        }
        return new SliceAllReduce.Contribution(gradients, scalars.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Driver side: summed gradients into the model; buffers and the dropout counter averaged over workers. */
    private void applyTo(Model model, SliceAllReduce.Sum sum) {
        ReplicaState.uploadFrom(sum.vector(), model.parameters(), Parameter::grad);
        double[] s = sum.scalars();
        int p = workers();
        model.dropoutSeeds().restore(Math.round(s[DROPOUT_STATE] / p));
        int at = FIRST_BUFFER;
        for (Buffer b : model.buffers()) {
            ReplicaState.BufferValue v = ReplicaState.BufferValue.of(b.save());
            float[] floats = v.floats() == null ? null : new float[v.size()];
            long[] longs = v.longs() == null ? null : new long[v.size()];
            for (int i = 0; i < v.size(); i++, at++) {
                if (floats != null) {
                    floats[i] = (float) (s[at] / p);
                } else {
                    longs[i] = Math.round(s[at] / p);
                }
            }
            try {
                b.load(new ReplicaState.BufferValue(v.name(), v.shape(), floats, longs).entry(), "the workers' buffers");
            } catch (CheckpointException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    /** Frees the replicas that live in this JVM (local mode); executors free theirs when the application ends. */
    @Override
    public void close() {
        Replicas.release(run);
        if (ownsSpark) {
            spark.stop();
        }
    }
}
