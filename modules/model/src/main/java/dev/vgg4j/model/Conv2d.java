package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Tensor;

/**
 * {@code nn.Conv2d(in, out, kernel_size=3, padding=1)} with bias, VGG's only convolution:
 * input {@code [N, in, H, W]} -> output {@code [N, out, H, W]}; weight {@code [out, in, 3, 3]},
 * bias {@code [out]}, initialised as PyTorch does (U(±1/sqrt(in*9))).
 */
public final class Conv2d extends WeightedLayer {
    private static final int KERNEL = 3;
    private static final Conv2dSpec SPEC = Conv2dSpec.VGG;

    /**
     * @param name state-dict prefix, e.g. {@code features.0}
     * @param seed initialisation seed (the values also depend on {@code name})
     */
    public Conv2d(Backend backend, String name, int inChannels, int outChannels, long seed) {
        super(backend, name, Shape.nchw(outChannels, inChannels, KERNEL, KERNEL), inChannels * KERNEL * KERNEL, seed);
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape w = params.weight().value().shape();
        if (in.rank() != 4 || in.c() != w.c()) {
            throw new ShapeException(params.weight().name() + ": input has shape " + in + ", expected [N, "
                    + w.c() + ", H, W]");
        }
        return Shape.nchw(in.n(), w.n(), SPEC.outputSize(in.h(), KERNEL), SPEC.outputSize(in.w(), KERNEL));
    }

    /** input {@code [N, in, H, W]} -> output {@code [N, out, H, W]}. */
    @Override
    public Tensor forward(Tensor in) {
        Tensor y = output.of(outputShape(in.shape()));
        backend.conv2dForward(in, params.weight().value(), params.bias().value(), SPEC, y);
        saveInput(in);
        return y;
    }

    /** gradOutput {@code [N, out, H, W]} -> gradInput {@code [N, in, H, W]}; writes weight and bias grads. */
    @Override
    public Tensor backward(Tensor gradOutput) {
        Tensor in = savedInput();
        backend.conv2dBackwardWeight(in, gradOutput, SPEC, params.weight().grad(), params.bias().grad());
        Tensor gx = gradInput.of(in.shape());
        backend.conv2dBackwardInput(gradOutput, params.weight().value(), SPEC, gx);
        return gx;
    }
}
