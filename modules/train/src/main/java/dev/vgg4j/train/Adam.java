package dev.vgg4j.train;

import dev.vgg4j.model.Parameter;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import java.util.List;

/**
 * {@code torch.optim.Adam} (or {@code AdamW} when {@link AdamParams#decoupled()}), one
 * {@link Backend#adamStep} per parameter with its {@code exp_avg} and {@code exp_avg_sq}. The
 * recipe's is {@code new Adam(backend, model.parameters(), AdamParams.adam(1e-3f))}.
 */
public final class Adam extends ParameterOptimizer {
    private final AdamParams params;

    public Adam(Backend backend, List<Parameter> parameters, AdamParams params) {
        super(backend, parameters, params.lr(), List.of("exp_avg", "exp_avg_sq"));
        this.params = params;
    }

    @Override
    public Factory factory() {
        AdamParams p = params;
        return (backend, parameters) -> new Adam(backend, parameters, p);
    }

    @Override
    public void step() {
        steps++;
        AdamParams now = params.withLr((float) lr);
        // The SPI's step only feeds the bias corrections 1 - beta^t; beyond the int range beta^t is 0
        // in any float precision, so saturating is exact where a cast would wrap to a small t.
        int t = (int) Math.min(steps, Integer.MAX_VALUE);
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            backend.adamStep(p.value(), p.grad(), state.get(0).get(i), state.get(1).get(i), now, t);
        }
    }
}
