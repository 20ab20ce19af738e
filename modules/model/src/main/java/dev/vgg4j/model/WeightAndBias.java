package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import java.util.List;

/** The weight and bias of a Conv2d or Linear, with their gradients, initialised as PyTorch does. */
record WeightAndBias(Parameter weight, Parameter bias) {

    /**
     * @param name state-dict prefix; the keys are {@code name.weight} and {@code name.bias}
     * @param weightShape {@code [out, ...]}; the bias is {@code [out]}
     * @param fanIn inputs per output ({@code in * kh * kw}), which sets the init bound
     */
    static WeightAndBias create(Backend backend, String name, Shape weightShape, int fanIn, long seed) {
        Shape b = Shape.of(weightShape.dim(0));
        Parameter weight = new Parameter(name + ".weight", backend.allocate(weightShape),
                backend.allocate(weightShape, 0f));
        Parameter bias = new Parameter(name + ".bias", backend.allocate(b), backend.allocate(b, 0f));
        float bound = PyTorchInit.bound(fanIn);
        PyTorchInit.uniform(backend, weight.value(), bound, seed, weight.name());
        PyTorchInit.uniform(backend, bias.value(), bound, seed, bias.name());
        return new WeightAndBias(weight, bias);
    }

    List<Parameter> list() {
        return List.of(weight, bias);
    }

    void close() {
        LayerState.close(weight, bias);
    }
}
