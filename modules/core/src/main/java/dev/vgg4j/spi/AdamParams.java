package dev.vgg4j.spi;

import java.io.Serializable;

/** Hyper-parameters of one Adam/AdamW step; see {@link Backend#adamStep}. */
public record AdamParams(float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled)
        implements Serializable {
    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static AdamParams adam(float lr) {
        return new AdamParams(lr, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    public AdamParams withLr(float newLr) {
        return new AdamParams(newLr, beta1, beta2, eps, weightDecay, decoupled);
    }
}
