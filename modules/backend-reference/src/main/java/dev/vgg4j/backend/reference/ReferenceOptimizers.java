package dev.vgg4j.backend.reference;

import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.HeapTensor;
import dev.vgg4j.spi.SgdParams;

/** Adam/AdamW and SGD updates, element by element in double, exactly the formulas of Backend's javadoc. */
final class ReferenceOptimizers {
    private ReferenceOptimizers() {}

    static void adam(HeapTensor param, HeapTensor grad, HeapTensor m, HeapTensor v, AdamParams h, int step) {
        double lr = h.lr();
        double wd = h.weightDecay();
        double biasCorrection1 = 1.0 - Math.pow(h.beta1(), step);
        double sqrtBiasCorrection2 = Math.sqrt(1.0 - Math.pow(h.beta2(), step));
        for (int i = 0; i < param.size(); i++) {
            double p = param.data()[param.offset() + i];
            double g = grad.data()[grad.offset() + i];
            if (h.decoupled()) {
                p *= 1.0 - lr * wd;
            } else {
                g += wd * p;
            }
            double mi = h.beta1() * (double) m.data()[m.offset() + i] + (1.0 - h.beta1()) * g;
            double vi = h.beta2() * (double) v.data()[v.offset() + i] + (1.0 - h.beta2()) * g * g;
            p -= lr / biasCorrection1 * mi / (Math.sqrt(vi) / sqrtBiasCorrection2 + h.eps());
            m.data()[m.offset() + i] = (float) mi;
            v.data()[v.offset() + i] = (float) vi;
            param.data()[param.offset() + i] = (float) p;
        }
    }

    static void sgd(HeapTensor param, HeapTensor grad, HeapTensor momentumBuffer, SgdParams h, boolean firstStep) {
        for (int i = 0; i < param.size(); i++) {
            double p = param.data()[param.offset() + i];
            double g = grad.data()[grad.offset() + i] + (double) h.weightDecay() * p;
            if (h.momentum() != 0f) {
                int at = momentumBuffer.offset() + i;
                double buf = firstStep ? g
                        : h.momentum() * (double) momentumBuffer.data()[at] + (1.0 - h.dampening()) * g;
                momentumBuffer.data()[at] = (float) buf;
                g = h.nesterov() ? g + h.momentum() * buf : buf;
            }
            param.data()[param.offset() + i] = (float) (p - h.lr() * g);
        }
    }
}
