package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Adam/AdamW and SGD updates in place, one work-item per parameter, as in {@code Backend}'s javadoc. */
public final class OptimizerKernels {
    private OptimizerKernels() {}

    /** Tensors one Adam launch updates: the header and five ints per tensor fill {@link Params#INTS}. */
    public static final int ADAM_TENSORS = (Params.INTS - 3) / 5;

    /**
     * Adam/AdamW for up to {@link #ADAM_TENSORS} tensors with the same hyper-parameters in one launch
     * (a model's parameters are many small tensors: one launch each would cost more than the update).
     * Work-item i belongs to the last tensor whose first element is at most i.
     *
     * <p>ip: n (all tensors' elements), tensors, decoupled (0/1), then per tensor t at 3 + 5t: param,
     * grad, m, v, first element. fp: lr, beta1, beta2, eps, weightDecay, lr / (1 - beta1^step),
     * sqrt(1 - beta2^step); the bias corrections come from the host in double.
     */
    public static void adam(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int at = 3;
            for (int t = 1; t < ip.get(1); t++) {
                if (i >= ip.get(3 + 5 * t + 4)) {
                    at = 3 + 5 * t;
                }
            }
            int local = i - ip.get(at + 4);
            int pAt = ip.get(at) + local;
            int mAt = ip.get(at + 2) + local;
            int vAt = ip.get(at + 3) + local;
            float lr = fp.get(0);
            float beta1 = fp.get(1);
            float beta2 = fp.get(2);
            float wd = fp.get(4);
            float p = heap.get(pAt);
            float g = heap.get(ip.get(at + 1) + local);
            if (ip.get(2) == 1) {
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
