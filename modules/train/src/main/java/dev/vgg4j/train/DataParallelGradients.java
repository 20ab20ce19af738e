package dev.vgg4j.train;

import dev.vgg4j.data.Batch;
import dev.vgg4j.model.Model;
import dev.vgg4j.spi.Reduction;

/**
 * A data-parallel engine's half of a training step: the gradients of a whole global batch,
 * computed by replicas elsewhere (each on its {@link Shard} through a {@link GradientStep}) and
 * summed. A {@link Trainer} built with one calls it instead of its own gradient step and then
 * applies its optimizer as usual, so checkpoints, listeners, the scheduler and the epoch line do
 * not depend on where the gradients were computed. The engine (Spark, or any other) lives in its
 * own module; the trainer knows only this interface.
 */
public interface DataParallelGradients extends AutoCloseable {

    /**
     * Computes the gradients of {@code batch} in training mode with the loss {@code reduction} and
     * leaves, in {@code model}: their sum over the replicas in every {@code Parameter.grad()}, the
     * replicas' buffers (batch norm's running statistics) averaged over the replicas, and the
     * replicas' dropout seed state. Returns the whole batch's summed loss, correct predictions and size.
     */
    CrossEntropyLoss.Result compute(Model model, Batch batch, Reduction reduction);

    /** Where the replicas run, for the console: e.g. {@code Spark local[2]: 2 workers x cpu}. */
    String description();

    @Override
    void close();
}
