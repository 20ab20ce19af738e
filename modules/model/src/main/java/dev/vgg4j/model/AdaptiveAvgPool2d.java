package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;

/**
 * {@code nn.AdaptiveAvgPool2d((outH, outW))}: x {@code [N, C, H, W]} -> y {@code [N, C, outH, outW]}
 * for any H and W, each output the mean of its window (see
 * {@link Backend#adaptiveAvgPool2dForward}). torchvision's VGG puts one with 7x7 before its
 * classifier: the identity at 224x224 input, a 1x1 map spread over 7x7 at 32x32.
 */
public final class AdaptiveAvgPool2d implements Layer {
    private final Backend backend;
    private final int outH;
    private final int outW;
    private final OwnedTensor output;
    private final OwnedTensor gradInput;
    private Shape inputShape;

    public AdaptiveAvgPool2d(Backend backend, int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size " + outH + "x" + outW
                    + " must be positive");
        }
        this.backend = backend;
        this.outH = outH;
        this.outW = outW;
        this.output = new OwnedTensor(backend);
        this.gradInput = new OwnedTensor(backend);
    }

    /** A pool of the same output size with buffers of its own (the inference path's). */
    AdaptiveAvgPool2d withOwnBuffers() {
        return new AdaptiveAvgPool2d(backend, outH, outW);
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 4) {
            throw new ShapeException("AdaptiveAvgPool2d: input has shape " + in + ", expected [N, C, H, W]");
        }
        return Shape.nchw(in.n(), in.c(), outH, outW);
    }

    /** x {@code [N, C, H, W]} -> y {@code [N, C, outH, outW]}. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = output.of(outputShape(x.shape()));
        backend.adaptiveAvgPool2dForward(x, y);
        inputShape = x.shape();
        return y;
    }

    /** gradY {@code [N, C, outH, outW]} -> gradX {@code [N, C, H, W]}. */
    @Override
    public Tensor backward(Tensor gradOutput) {
        Tensor gx = gradInput.of(LayerState.requireForward(inputShape, "AdaptiveAvgPool2d"));
        backend.adaptiveAvgPool2dBackward(gradOutput, gx);
        return gx;
    }

    @Override
    public void close() {
        output.close();
        gradInput.close();
    }
}
