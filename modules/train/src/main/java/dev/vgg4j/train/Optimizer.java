package dev.vgg4j.train;

import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.Backend;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Updates a model's parameters from their gradients, one {@link #step()} per batch, with state
 * tensors on the backend. The learning rate is a double as in PyTorch, so that a scheduler's
 * products (0.001 * 0.1 ...) print as PyTorch prints them.
 */
public interface Optimizer extends AutoCloseable {

    /** One update of every parameter from its current gradient; issues backend ops only. */
    void step();

    double learningRate();

    void setLearningRate(double lr);

    /** Steps taken so far. */
    long steps();

    /**
     * The state tensors (e.g. {@code optimizer.features.0.weight.exp_avg}) for checkpoints: for each
     * kind of state, one buffer per parameter, shaped as it, in parameter order.
     */
    List<Buffer> stateBuffers();

    /**
     * Makes optimizers of this kind and hyper-parameters over other parameters (zero state, step 0):
     * a data-parallel engine ({@link DataParallelStep}) updates each slice of the flattened parameters
     * with one, in another process, so the update must be elementwise.
     */
    Factory factory();

    /** A recipe for an {@link Optimizer}, serializable so that it can travel to the processes that hold parameters. */
    @FunctionalInterface
    interface Factory extends Serializable {
        Optimizer create(Backend backend, List<Parameter> parameters);
    }

    /** Host-side state (step count, learning rate) as checkpoint metadata. */
    Map<String, String> stateMetadata();

    /** Restores what {@link #stateMetadata()} saved; {@code source} names the checkpoint in errors. */
    void restoreMetadata(Map<String, String> metadata, String source) throws CheckpointException;

    /** Frees the state tensors. */
    @Override
    void close();
}
