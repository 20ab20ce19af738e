package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;

/**
 * {@code nn.ReLU}: y = max(x, 0), any shape.
 *
 * <p>In place ({@code nn.ReLU(inplace=True)}, as VGG uses it) the forward overwrites its input and
 * returns it, and the backward overwrites {@code gradOutput} and returns it. That is safe only
 * when the layer before does not need its own output in its backward (true after Conv2d,
 * BatchNorm2d and Linear, whose backward reads their input) and the input is not the caller's data.
 */
public final class ReLU implements Layer {
    private final Backend backend;
    private final boolean inPlace;
    private final OwnedTensor output;
    private final OwnedTensor gradInput;
    private Tensor y;

    public ReLU(Backend backend, boolean inPlace) {
        this.backend = backend;
        this.inPlace = inPlace;
        this.output = new OwnedTensor(backend);
        this.gradInput = new OwnedTensor(backend);
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x) {
        y = inPlace ? x : output.of(x.shape());
        backend.reluForward(x, y);
        return y;
    }

    /** gradX = y > 0 ? gradY : 0, where y is the forward's output. */
    @Override
    public Tensor backward(Tensor gradOutput) {
        Tensor out = LayerState.requireForward(y, "ReLU");
        Tensor gx = inPlace ? gradOutput : gradInput.of(out.shape());
        backend.reluBackward(out, gradOutput, gx);
        return gx;
    }

    @Override
    public void close() {
        output.close();
        gradInput.close();
    }
}
