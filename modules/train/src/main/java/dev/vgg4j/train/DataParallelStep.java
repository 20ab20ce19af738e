package dev.vgg4j.train;

import dev.vgg4j.data.Batch;
import dev.vgg4j.model.Model;
import dev.vgg4j.spi.Reduction;
import java.util.Optional;

/**
 * A data-parallel engine's training step: replicas elsewhere compute the gradients of a global
 * batch (each on its {@link Shard} through a {@link GradientStep}), the gradients are summed, and
 * the optimizer's update is applied where the engine keeps the parameters (for Spark: in slices on
 * the executors), not in this process. The trainer's model and optimizer fall behind while it
 * trains; {@link #syncToDriver()} brings them up to date when the trainer needs them (validation,
 * checkpoints, the end of a run). Checkpoints, listeners, the scheduler and the epoch line
 * therefore do not depend on where the step ran. The engine (Spark, or any other) lives in its own
 * module; the trainer knows only this interface.
 *
 * <p>The optimizer's update must be elementwise (Adam, SGD): an engine applies it to slices of the
 * flattened parameters, made with {@link Optimizer#factory()}.
 */
public interface DataParallelStep extends AutoCloseable {

    /**
     * Copies {@code model} (weights, buffers, dropout seed state) and {@code optimizer} (state
     * tensors, step count) to the replicas; later steps start from there. Called before the first
     * step and again whenever the trainer changed them itself (a resumed checkpoint).
     */
    void load(Model model, Optimizer optimizer, Reduction reduction);

    /**
     * One synchronous step over {@code batch} in training mode with {@code learningRate}: the summed
     * gradients of every replica's rows, then one optimizer update. Returns the whole batch's summed
     * loss, correct predictions and size.
     */
    CrossEntropyLoss.Result step(Batch batch, double learningRate);

    /**
     * Writes the replicas' state into the model and optimizer given to {@link #load}: weights,
     * buffers (batch norm's running statistics, averaged over the replicas), dropout seed state,
     * optimizer state tensors and step count.
     */
    void syncToDriver();

    /**
     * The training set the engine's workers read themselves (each its own part, from files every
     * worker sees), when this process does not hold it: the trainer then runs its epochs over
     * these batches instead of a loader's. Empty (the default): the steps take the loader's batches.
     */
    default Optional<OwnData> ownData() {
        return Optional.empty();
    }

    /** Training data that an engine's workers read themselves, as the trainer steps through it. */
    interface OwnData {
        /** Global batches in an epoch. */
        int batchesPerEpoch();

        /** The seed of its shuffles and augmentation: a resumed run must use the same. */
        long seed();

        /** One step over global batch {@code batch} of epoch {@code epoch} (both from 0), as {@link #step(Batch, double)}. */
        CrossEntropyLoss.Result step(int epoch, int batch, double learningRate);
    }

    /** Where the replicas run, for the console: e.g. {@code Spark local[2]: 2 workers x cpu}. */
    String description();

    @Override
    void close();
}
