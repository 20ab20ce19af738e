package dev.vgg4j.backend.cpu;

import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.SgdParams;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam/AdamW and SGD updates, in place, one vector pass over param, grad and state. Bias corrections
 * use {@code StrictMath.pow} so that they do not depend on whether the caller is compiled.
 */
final class Optimizers {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Optimizers() {}

    /** See {@code Backend.adamStep}, on the elements {@code [from, to)}; {@code step} counts from 1. */
    static void adam(float[] param, float[] grad, float[] m, float[] v, int from, int to, AdamParams a, int step) {
        float b1 = a.beta1();
        float b2 = a.beta2();
        float stepSize = (float) (a.lr() / (1 - StrictMath.pow(b1, step)));
        float invSqrtBias2 = (float) (1 / Math.sqrt(1 - StrictMath.pow(b2, step)));
        float coupledDecay = a.decoupled() ? 0f : a.weightDecay();
        float decoupledShrink = a.decoupled() ? 1f - a.lr() * a.weightDecay() : 1f;
        float eps = a.eps();
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector p = FloatVector.fromArray(S, param, i);
            FloatVector g = FloatVector.fromArray(S, grad, i).add(p.mul(coupledDecay));
            p = p.mul(decoupledShrink);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(g.mul(1 - b1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(g.mul(g).mul(1 - b2));
            FloatVector denom = vi.lanewise(VectorOperators.SQRT).mul(invSqrtBias2).add(eps);
            p.sub(mi.mul(stepSize).div(denom)).intoArray(param, i);
            mi.intoArray(m, i);
            vi.intoArray(v, i);
        }
        for (; i < to; i++) {
            float p = param[i];
            float g = grad[i] + coupledDecay * p;
            p *= decoupledShrink;
            float mi = m[i] * b1 + (1 - b1) * g;
            float vi = v[i] * b2 + (1 - b2) * g * g;
            param[i] = p - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBias2 + eps);
            m[i] = mi;
            v[i] = vi;
        }
    }

    /** See {@code Backend.sgdStep}; {@code buf} is null when momentum is 0. */
    static void sgd(float[] param, float[] grad, float[] buf, int size, SgdParams s, boolean firstStep) {
        float wd = s.weightDecay();
        float mom = s.momentum();
        float damp = 1 - s.dampening();
        float lr = s.lr();
        int i = 0;
        for (int bound = S.loopBound(size); i < bound; i += S.length()) {
            FloatVector p = FloatVector.fromArray(S, param, i);
            FloatVector g = p.mul(wd).add(FloatVector.fromArray(S, grad, i));
            if (mom != 0f) {
                FloatVector b = firstStep ? g : FloatVector.fromArray(S, buf, i).mul(mom).add(g.mul(damp));
                b.intoArray(buf, i);
                g = s.nesterov() ? b.mul(mom).add(g) : b;
            }
            p.sub(g.mul(lr)).intoArray(param, i);
        }
        for (; i < size; i++) {
            float g = grad[i] + wd * param[i];
            if (mom != 0f) {
                float b = firstStep ? g : mom * buf[i] + damp * g;
                buf[i] = b;
                g = s.nesterov() ? g + mom * b : b;
            }
            param[i] -= lr * g;
        }
    }
}
