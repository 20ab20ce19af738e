package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;

/**
 * {@code nn.MaxPool2d(kernel_size=2, stride=2)}, floor mode: x {@code [N, C, H, W]} -> y
 * {@code [N, C, H/2, W/2]}. The position of each window's maximum is kept for the backward.
 */
public final class MaxPool2d implements Layer {
    private final Backend backend;
    private final OwnedTensor output;
    /** Position 0..3 of each window's maximum, shape of y. */
    private final OwnedTensor argmax;
    private final OwnedTensor gradInput;
    private Shape inputShape;
    private Tensor lastArgmax;

    public MaxPool2d(Backend backend) {
        this.backend = backend;
        this.output = new OwnedTensor(backend);
        this.argmax = new OwnedTensor(backend);
        this.gradInput = new OwnedTensor(backend);
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 4 || in.h() < 2 || in.w() < 2) {
            throw new ShapeException("MaxPool2d: input has shape " + in + ", expected [N, C, H, W] with H, W >= 2");
        }
        return Shape.nchw(in.n(), in.c(), in.h() / 2, in.w() / 2);
    }

    /** x {@code [N, C, H, W]} -> y {@code [N, C, H/2, W/2]}. */
    @Override
    public Tensor forward(Tensor x) {
        Shape out = outputShape(x.shape());
        Tensor y = output.of(out);
        lastArgmax = argmax.of(out);
        backend.maxPool2dForward(x, y, lastArgmax);
        inputShape = x.shape();
        return y;
    }

    /** gradY {@code [N, C, H/2, W/2]} -> gradX {@code [N, C, H, W]}, zero outside each window's maximum. */
    @Override
    public Tensor backward(Tensor gradOutput) {
        Shape in = LayerState.requireForward(inputShape, "MaxPool2d");
        Tensor gx = gradInput.of(in);
        backend.maxPool2dBackward(gradOutput, lastArgmax, gx);
        return gx;
    }

    @Override
    public void close() {
        output.close();
        argmax.close();
        gradInput.close();
    }
}
