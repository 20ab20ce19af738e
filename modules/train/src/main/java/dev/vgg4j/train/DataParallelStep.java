package dev.vgg4j.train;

import dev.vgg4j.data.Batch;
import dev.vgg4j.model.Model;
import dev.vgg4j.spi.Reduction;

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

    /** Where the replicas run, for the console: e.g. {@code Spark local[2]: 2 workers x cpu}. */
    String description();

    @Override
    void close();
}
