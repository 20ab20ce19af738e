package dev.vgg4j.train;

import dev.vgg4j.model.Parameter;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.SgdParams;
import java.util.List;

/**
 * {@code torch.optim.SGD} with optional momentum (and Nesterov, weight decay), one
 * {@link Backend#sgdStep} per parameter with its {@code momentum_buffer}.
 */
public final class Sgd extends ParameterOptimizer {
    private final SgdParams params;

    public Sgd(Backend backend, List<Parameter> parameters, SgdParams params) {
        super(backend, parameters, params.lr(),
                params.momentum() != 0 ? List.of("momentum_buffer") : List.of());
        this.params = params;
    }

    @Override
    public Factory factory() {
        SgdParams p = params;
        return (backend, parameters) -> new Sgd(backend, parameters, p);
    }

    @Override
    public void step() {
        SgdParams now = params.withLr((float) lr);
        boolean firstStep = steps == 0;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            backend.sgdStep(p.value(), p.grad(), state.isEmpty() ? null : state.get(0).get(i), now, firstStep);
        }
        steps++;
    }
}
