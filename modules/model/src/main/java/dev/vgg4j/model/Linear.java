package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;

/**
 * {@code nn.Linear(in, out)}: x {@code [N, in]} -> y {@code [N, out]}, weight {@code [out, in]},
 * bias {@code [out]}, initialised as PyTorch does (U(±1/sqrt(in))).
 */
public final class Linear extends WeightedLayer {
    /**
     * @param name state-dict prefix, e.g. {@code classifier.0}
     * @param seed initialisation seed (the values also depend on {@code name})
     */
    public Linear(Backend backend, String name, int inFeatures, int outFeatures, long seed) {
        super(backend, name, Shape.matrix(outFeatures, inFeatures), inFeatures, seed);
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape w = params.weight().value().shape();
        if (in.rank() != 2 || in.cols() != w.cols()) {
            throw new ShapeException(params.weight().name() + ": input has shape " + in + ", expected [N, "
                    + w.cols() + "]");
        }
        return Shape.matrix(in.rows(), w.rows());
    }

    /** x {@code [N, in]} -> y {@code [N, out]}. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = output.of(outputShape(x.shape()));
        backend.linearForward(x, params.weight().value(), params.bias().value(), y);
        saveInput(x);
        return y;
    }

    /** gradY {@code [N, out]} -> gradX {@code [N, in]}; writes weight and bias grads. */
    @Override
    public Tensor backward(Tensor gradOutput) {
        Tensor x = savedInput();
        Tensor gx = gradInput.of(x.shape());
        backend.linearBackward(x, params.weight().value(), gradOutput, gx, params.weight().grad(),
                params.bias().grad());
        return gx;
    }
}
