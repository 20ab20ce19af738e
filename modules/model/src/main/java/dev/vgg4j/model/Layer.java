package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Tensor;
import java.util.List;

/**
 * One layer of a network, its forward and backward side by side.
 *
 * <p>Ownership: the tensor {@link #forward} returns belongs to the layer and is reused by the next
 * forward while the input shape stays the same (reallocated when it changes), so a training step
 * allocates nothing after the first. The same holds for the gradient {@link #backward} returns.
 * Callers must not close either. A layer may keep a reference to its input until the next
 * forward, because its backward needs it: the caller must not overwrite the input in between.
 *
 * <p>Gradients of the parameters are <b>overwritten</b> by each backward, never accumulated, so
 * there is no {@code zeroGrad}.
 */
public interface Layer extends AutoCloseable {

    /** Runs the layer on {@code input}; the result is owned by the layer (see the class comment). */
    Tensor forward(Tensor input);

    /**
     * Gradient with respect to the last forward's input, given the gradient with respect to its
     * output; writes the parameters' gradients. Owned by the layer, except for in-place layers
     * (documented there), which may return {@code gradOutput} itself.
     */
    Tensor backward(Tensor gradOutput);

    /** The shape {@link #forward} returns for an input of shape {@code input}; checks the input. */
    Shape outputShape(Shape input);

    /** Trainable parameters, named as in torchvision's state dict. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Non-trainable state saved in checkpoints (BatchNorm's running statistics). */
    default List<Buffer> buffers() {
        return List.of();
    }

    /** Training ({@code true}) or evaluation mode; only BatchNorm2d and Dropout behave differently. */
    default void train(boolean training) {}

    /** Frees every tensor the layer allocated. */
    @Override
    default void close() {}
}
