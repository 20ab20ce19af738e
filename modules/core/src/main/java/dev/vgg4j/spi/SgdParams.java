package dev.vgg4j.spi;

import java.io.Serializable;

/** Hyper-parameters of one SGD step; see {@link Backend#sgdStep}. */
public record SgdParams(float lr, float momentum, float dampening, float weightDecay, boolean nesterov)
        implements Serializable {
    public SgdParams {
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    public SgdParams withLr(float newLr) {
        return new SgdParams(newLr, momentum, dampening, weightDecay, nesterov);
    }
}
