package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.List;

/**
 * What Conv2d and Linear share: a weight and a bias initialised as PyTorch does, the output and
 * input-gradient tensors they own, and the input a forward saves for the backward.
 */
abstract sealed class WeightedLayer implements Layer permits Conv2d, Linear {
    final Backend backend;
    final WeightAndBias params;
    final OwnedTensor output;
    final OwnedTensor gradInput;
    private Tensor input;

    /** See {@link WeightAndBias#create} for the arguments. */
    WeightedLayer(Backend backend, String name, Shape weightShape, int fanIn, long seed) {
        this.backend = backend;
        this.params = WeightAndBias.create(backend, name, weightShape, fanIn, seed);
        this.output = new OwnedTensor(backend);
        this.gradInput = new OwnedTensor(backend);
    }

    /** Keeps {@code in} for the backward. */
    final void saveInput(Tensor in) {
        input = in;
    }

    /** The input of the last forward; a backward without one is a caller bug. */
    final Tensor savedInput() {
        return LayerState.requireForward(input, params.weight().name());
    }

    @Override
    public final List<Parameter> parameters() {
        return params.list();
    }

    @Override
    public final void close() {
        params.close();
        output.close();
        gradInput.close();
    }
}
