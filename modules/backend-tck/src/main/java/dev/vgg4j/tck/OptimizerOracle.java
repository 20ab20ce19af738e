package dev.vgg4j.tck;

import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.SgdParams;

/** Adam/AdamW and SGD in float64 with state kept in double, per torch.optim's formulas. */
public final class OptimizerOracle {
    private OptimizerOracle() {}

    /** One Adam step in place on param, m, v; {@code step} counts from 1. */
    public static void adam(double[] param, double[] grad, double[] m, double[] v, AdamParams h, int step) {
        double bc1 = 1 - Math.pow(h.beta1(), step);
        double bc2 = 1 - Math.pow(h.beta2(), step);
        for (int i = 0; i < param.length; i++) {
            double g = grad[i];
            if (h.decoupled()) {
                param[i] *= 1 - (double) h.lr() * h.weightDecay();
            } else {
                g += (double) h.weightDecay() * param[i];
            }
            m[i] = h.beta1() * m[i] + (1 - (double) h.beta1()) * g;
            v[i] = h.beta2() * v[i] + (1 - (double) h.beta2()) * g * g;
            double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + h.eps();
            param[i] -= h.lr() / bc1 * m[i] / denom;
        }
    }

    /** One SGD step in place on param and (when momentum is used) buf. */
    public static void sgd(double[] param, double[] grad, double[] buf, SgdParams h, boolean firstStep) {
        for (int i = 0; i < param.length; i++) {
            double g = grad[i] + (double) h.weightDecay() * param[i];
            if (h.momentum() != 0) {
                buf[i] = firstStep ? g : h.momentum() * buf[i] + (1 - (double) h.dampening()) * g;
                g = h.nesterov() ? g + h.momentum() * buf[i] : buf[i];
            }
            param[i] -= h.lr() * g;
        }
    }
}
