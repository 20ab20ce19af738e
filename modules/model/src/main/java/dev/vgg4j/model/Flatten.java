package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Tensor;

/**
 * {@code nn.Flatten()}: x {@code [N, C, H, W]} -> {@code [N, C*H*W]} as a view of the same memory
 * (no copy). Views are cached per tensor so a training step creates none after the first.
 */
public final class Flatten implements Layer {
    private final View forwardView = new View();
    private final View backwardView = new View();
    private Shape inputShape;

    @Override
    public Shape outputShape(Shape in) {
        return Shape.matrix(in.n(), in.sizePerItem());
    }

    @Override
    public Tensor forward(Tensor x) {
        inputShape = x.shape();
        return forwardView.of(x, outputShape(inputShape));
    }

    /** gradY {@code [N, C*H*W]} viewed as {@code [N, C, H, W]}. */
    @Override
    public Tensor backward(Tensor gradOutput) {
        return backwardView.of(gradOutput, LayerState.requireForward(inputShape, "Flatten"));
    }

    /** The last view made, reused while the viewed tensor and the shape stay the same. */
    private static final class View {
        private Tensor base;
        private Tensor view;

        Tensor of(Tensor t, Shape shape) {
            if (t != base || !view.shape().equals(shape)) {
                base = t;
                view = t.reshape(shape);
            }
            return view;
        }
    }
}
