package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Adam/AdamW and SGD updates in place, one work-item per parameter, as in {@code Backend}'s javadoc. */
public final class OptimizerKernels {
    private OptimizerKernels() {}

    /**
     * ip: n, param, grad, m, v, decoupled (0/1). fp: lr, beta1, beta2, eps, weightDecay,
     * lr / (1 - beta1^step), sqrt(1 - beta2^step); the bias corrections come from the host in double.
     */
    public static void adam(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int pAt = ip.get(1) + i;
            int mAt = ip.get(3) + i;
            int vAt = ip.get(4) + i;
            float lr = fp.get(0);
            float beta1 = fp.get(1);
            float beta2 = fp.get(2);
            float wd = fp.get(4);
            float p = heap.get(pAt);
            float g = heap.get(ip.get(2) + i);
            if (ip.get(5) == 1) {
                p = p * (1f - lr * wd);
            } else {
                g = g + wd * p;
            }
            float m = beta1 * heap.get(mAt) + (1f - beta1) * g;
            float v = beta2 * heap.get(vAt) + (1f - beta2) * g * g;
            p = p - fp.get(5) * m / (TornadoMath.sqrt(v) / fp.get(6) + fp.get(3));
            heap.set(mAt, m);
            heap.set(vAt, v);
            heap.set(pAt, p);
        }
    }

    /**
     * ip: n, param, grad, momentumBuffer, hasMomentum, firstStep, nesterov (flags 0/1).
     * fp: lr, momentum, dampening, weightDecay.
     */
    public static void sgd(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int pAt = ip.get(1) + i;
            float p = heap.get(pAt);
            float g = heap.get(ip.get(2) + i) + fp.get(3) * p;
            if (ip.get(4) == 1) {
                int bAt = ip.get(3) + i;
                float momentum = fp.get(1);
                float buf = ip.get(5) == 1 ? g : momentum * heap.get(bAt) + (1f - fp.get(2)) * g;
                heap.set(bAt, buf);
                g = ip.get(6) == 1 ? g + momentum * buf : buf;
            }
            heap.set(pAt, p - fp.get(0) * g);
        }
    }
}
