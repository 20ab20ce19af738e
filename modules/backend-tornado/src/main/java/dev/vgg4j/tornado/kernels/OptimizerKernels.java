package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Adam/AdamW and SGD updates in place, one work-item per parameter, as in {@code Backend}'s javadoc. */
public final class OptimizerKernels {
    private OptimizerKernels() {}

    /** Tensors one Adam launch updates: the header and five ints per tensor fill {@link Params#INTS}. */
    public static final int ADAM_TENSORS = (Params.INTS - AdamArgs.FIRST_TENSOR) / AdamArgs.TENSOR_WIDTH;

    /**
     * {@link #adam}'s parameters: a header ({@code count} elements of all tensors, {@code tensors},
     * decoupled weight decay 0/1), then per tensor t, from {@code FIRST_TENSOR + t * TENSOR_WIDTH},
     * its param, grad, m and v offsets and its first element among the {@code count}; the floats are
     * the hyper-parameters with the step's bias corrections.
     */
    public record AdamArgs(int[] ints, AdamHyper hyper) implements LaunchArgs.Elementwise {
        public static final int TENSORS = 1;
        public static final int DECOUPLED = 2;
        public static final int FIRST_TENSOR = 3;
        /** Slots per tensor, relative to the tensor's first slot. */
        public static final int PARAM = 0;
        public static final int GRAD = 1;
        public static final int M = 2;
        public static final int V = 3;
        public static final int FIRST_ELEMENT = 4;
        public static final int TENSOR_WIDTH = 5;

        @Override
        public int count() {
            return ints[COUNT];
        }

        @Override
        public float[] floats() {
            return hyper.floats();
        }
    }

    /**
     * Adam's hyper-parameters for one step: lr, betas, eps, weight decay, and the bias corrections
     * from the host in double: step size lr / (1 - beta1^step) and sqrt(1 - beta2^step).
     */
    public record AdamHyper(float lr, float beta1, float beta2, float eps, float weightDecay, float stepSize,
                            float sqrtBiasCorrection2) {
        public static final int LR = 0;
        public static final int BETA1 = 1;
        public static final int BETA2 = 2;
        public static final int EPS = 3;
        public static final int WEIGHT_DECAY = 4;
        public static final int STEP_SIZE = 5;
        public static final int SQRT_BIAS_CORRECTION2 = 6;

        public float[] floats() {
            float[] fp = new float[7];
            fp[LR] = lr;
            fp[BETA1] = beta1;
            fp[BETA2] = beta2;
            fp[EPS] = eps;
            fp[WEIGHT_DECAY] = weightDecay;
            fp[STEP_SIZE] = stepSize;
            fp[SQRT_BIAS_CORRECTION2] = sqrtBiasCorrection2;
            return fp;
        }
    }

    /** {@link #sgd}: param, grad and the momentum buffer (-1 without momentum) of {@code count} elements. */
    public record SgdArgs(int count, int param, int grad, int momentumBuffer, boolean firstStep, boolean nesterov,
                          float lr, float momentum, float dampening, float weightDecay) implements LaunchArgs.Elementwise {
        public static final int PARAM = 1;
        public static final int GRAD = 2;
        public static final int MOMENTUM_BUFFER = 3;
        public static final int HAS_MOMENTUM = 4;
        public static final int FIRST_STEP = 5;
        public static final int NESTEROV = 6;
        public static final int LR = 0;
        public static final int MOMENTUM = 1;
        public static final int DAMPENING = 2;
        public static final int WEIGHT_DECAY = 3;

        @Override
        public int[] ints() {
            int[] ip = new int[7];
            ip[COUNT] = count;
            ip[PARAM] = param;
            ip[GRAD] = grad;
            ip[MOMENTUM_BUFFER] = momentumBuffer;
            ip[HAS_MOMENTUM] = momentumBuffer >= 0 ? 1 : 0;
            ip[FIRST_STEP] = firstStep ? 1 : 0;
            ip[NESTEROV] = nesterov ? 1 : 0;
            return ip;
        }

        @Override
        public float[] floats() {
            float[] fp = new float[4];
            fp[LR] = lr;
            fp[MOMENTUM] = momentum;
            fp[DAMPENING] = dampening;
            fp[WEIGHT_DECAY] = weightDecay;
            return fp;
        }
    }

    /**
     * Adam/AdamW for up to {@link #ADAM_TENSORS} tensors with the same hyper-parameters in one launch
     * (a model's parameters are many small tensors: one launch each would cost more than the update).
     * Work-item i belongs to the last tensor whose first element is at most i.
     *
     * <p>Parameters: {@link AdamArgs}.
     */
    public static void adam(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(AdamArgs.COUNT)) {
            int at = AdamArgs.FIRST_TENSOR;
            for (int t = 1; t < ip.get(AdamArgs.TENSORS); t++) {
                int first = AdamArgs.FIRST_TENSOR + AdamArgs.TENSOR_WIDTH * t;
                if (i >= ip.get(first + AdamArgs.FIRST_ELEMENT)) {
                    at = first;
                }
            }
            int local = i - ip.get(at + AdamArgs.FIRST_ELEMENT);
            int pAt = ip.get(at + AdamArgs.PARAM) + local;
            int mAt = ip.get(at + AdamArgs.M) + local;
            int vAt = ip.get(at + AdamArgs.V) + local;
            float lr = fp.get(AdamHyper.LR);
            float beta1 = fp.get(AdamHyper.BETA1);
            float beta2 = fp.get(AdamHyper.BETA2);
            float wd = fp.get(AdamHyper.WEIGHT_DECAY);
            float p = heap.get(pAt);
            float g = heap.get(ip.get(at + AdamArgs.GRAD) + local);
            if (ip.get(AdamArgs.DECOUPLED) == 1) {
                p = p * (1f - lr * wd);
            } else {
                g = g + wd * p;
            }
            float m = beta1 * heap.get(mAt) + (1f - beta1) * g;
            float v = beta2 * heap.get(vAt) + (1f - beta2) * g * g;
            p = p - fp.get(AdamHyper.STEP_SIZE) * m
                    / (TornadoMath.sqrt(v) / fp.get(AdamHyper.SQRT_BIAS_CORRECTION2) + fp.get(AdamHyper.EPS));
            heap.set(mAt, m);
            heap.set(vAt, v);
            heap.set(pAt, p);
        }
    }

    /** SGD with optional momentum, dampening, Nesterov and L2 weight decay, as {@code Backend#sgdStep} defines it. */
    public static void sgd(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(SgdArgs.COUNT)) {
            int pAt = ip.get(SgdArgs.PARAM) + i;
            float p = heap.get(pAt);
            float g = heap.get(ip.get(SgdArgs.GRAD) + i) + fp.get(SgdArgs.WEIGHT_DECAY) * p;
            if (ip.get(SgdArgs.HAS_MOMENTUM) == 1) {
                int bAt = ip.get(SgdArgs.MOMENTUM_BUFFER) + i;
                float momentum = fp.get(SgdArgs.MOMENTUM);
                float buf = ip.get(SgdArgs.FIRST_STEP) == 1 ? g
                        : momentum * heap.get(bAt) + (1f - fp.get(SgdArgs.DAMPENING)) * g;
                heap.set(bAt, buf);
                g = ip.get(SgdArgs.NESTEROV) == 1 ? g + momentum * buf : buf;
            }
            heap.set(pAt, p - fp.get(SgdArgs.LR) * g);
        }
    }
}
