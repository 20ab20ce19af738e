package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The elementwise halves of BatchNorm2d over x [N, C, P] (the per-channel sums are in
 * {@link ReductionKernels}); one work-item per element, channel {@code (i / P) % C}.
 */
public final class BatchNormKernels {
    private BatchNormKernels() {}

    /**
     * {@link #batchNormApply}: x and y [N, channels, plane]; per-channel mean, scale source (invStd
     * in training, the running variance in inference), gamma and beta; {@code relu} the offset of a
     * ReLU output folded in, or -1.
     */
    public record NormalizeArgs(int count, int x, int y, int channels, int plane, int mean, int scaleSource, int gamma,
                                int beta, boolean fromRunningVariance, int relu, float eps) implements LaunchArgs.Elementwise {
        public static final int X = 1;
        public static final int Y = 2;
        public static final int CHANNELS = 3;
        public static final int PLANE = 4;
        public static final int MEAN = 5;
        public static final int SCALE_SOURCE = 6;
        public static final int GAMMA = 7;
        public static final int BETA = 8;
        /** 1: the scale source is the running variance, the kernel takes 1 / sqrt(var + eps). */
        public static final int FROM_RUNNING_VARIANCE = 9;
        public static final int RELU = 10;
        public static final int EPS = 0;

        /** The same launch also writing max(y, 0) at {@code reluOutput}. */
        public NormalizeArgs withRelu(int reluOutput) {
            return new NormalizeArgs(count, x, y, channels, plane, mean, scaleSource, gamma, beta, fromRunningVariance,
                    reluOutput, eps);
        }

        @Override
        public int[] ints() {
            int[] ip = new int[11];
            ip[COUNT] = count;
            ip[X] = x;
            ip[Y] = y;
            ip[CHANNELS] = channels;
            ip[PLANE] = plane;
            ip[MEAN] = mean;
            ip[SCALE_SOURCE] = scaleSource;
            ip[GAMMA] = gamma;
            ip[BETA] = beta;
            ip[FROM_RUNNING_VARIANCE] = fromRunningVariance ? 1 : 0;
            ip[RELU] = relu;
            return ip;
        }

        @Override
        public float[] floats() {
            return new float[] {eps};
        }
    }

    /** {@link #backwardInput}: x, gradY, gradX [N, channels, plane], per-channel tensors, {@code perChannel} = N*plane. */
    public record BackwardInputArgs(int count, int x, int gradY, int gradX, int channels, int plane, int gamma,
                                    int saveMean, int saveInvStd, int gradGamma, int gradBeta, int perChannel)
            implements LaunchArgs.Elementwise {
        public static final int X = 1;
        public static final int GRAD_Y = 2;
        public static final int GRAD_X = 3;
        public static final int CHANNELS = 4;
        public static final int PLANE = 5;
        public static final int GAMMA = 6;
        public static final int SAVE_MEAN = 7;
        public static final int SAVE_INV_STD = 8;
        public static final int GRAD_GAMMA = 9;
        public static final int GRAD_BETA = 10;
        public static final int PER_CHANNEL = 11;

        @Override
        public int[] ints() {
            int[] ip = new int[12];
            ip[COUNT] = count;
            ip[X] = x;
            ip[GRAD_Y] = gradY;
            ip[GRAD_X] = gradX;
            ip[CHANNELS] = channels;
            ip[PLANE] = plane;
            ip[GAMMA] = gamma;
            ip[SAVE_MEAN] = saveMean;
            ip[SAVE_INV_STD] = saveInvStd;
            ip[GRAD_GAMMA] = gradGamma;
            ip[GRAD_BETA] = gradBeta;
            ip[PER_CHANNEL] = perChannel;
            return ip;
        }
    }

    /**
     * y = (x - mean[c]) * invStd[c] * gamma[c] + beta[c]. In training invStd is saveInvStd; in
     * inference it is computed from the running variance and eps. With a ReLU folded in (relu offset
     * not -1) also relu = max(y, 0) as {@link ElementwiseKernels#reluForward} computes it, written
     * alone when it is y (in place): one launch instead of two.
     */
    public static void batchNormApply(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(NormalizeArgs.COUNT)) {
            int c = (i / ip.get(NormalizeArgs.PLANE)) % ip.get(NormalizeArgs.CHANNELS);
            float scale = heap.get(ip.get(NormalizeArgs.SCALE_SOURCE) + c);
            if (ip.get(NormalizeArgs.FROM_RUNNING_VARIANCE) == 1) {
                scale = 1f / TornadoMath.sqrt(scale + fp.get(NormalizeArgs.EPS));
            }
            float xhat = (heap.get(ip.get(NormalizeArgs.X) + i) - heap.get(ip.get(NormalizeArgs.MEAN) + c)) * scale;
            float y = xhat * heap.get(ip.get(NormalizeArgs.GAMMA) + c) + heap.get(ip.get(NormalizeArgs.BETA) + c);
            int relu = ip.get(NormalizeArgs.RELU);
            if (relu != ip.get(NormalizeArgs.Y)) {
                heap.set(ip.get(NormalizeArgs.Y) + i, y);
            }
            if (relu >= 0) {
                heap.set(relu + i, y > 0f ? y : 0f);
            }
        }
    }

    /** gradX = gamma * invStd / M * (M * gradY - gradBeta - xhat * gradGamma), M = N*P per channel. */
    public static void backwardInput(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(BackwardInputArgs.COUNT)) {
            int c = (i / ip.get(BackwardInputArgs.PLANE)) % ip.get(BackwardInputArgs.CHANNELS);
            float count = ip.get(BackwardInputArgs.PER_CHANNEL);
            float invStd = heap.get(ip.get(BackwardInputArgs.SAVE_INV_STD) + c);
            float xhat = (heap.get(ip.get(BackwardInputArgs.X) + i) - heap.get(ip.get(BackwardInputArgs.SAVE_MEAN) + c)) * invStd;
            float scale = heap.get(ip.get(BackwardInputArgs.GAMMA) + c) * invStd / count;
            float g = heap.get(ip.get(BackwardInputArgs.GRAD_Y) + i);
            heap.set(ip.get(BackwardInputArgs.GRAD_X) + i, scale * (count * g - heap.get(ip.get(BackwardInputArgs.GRAD_BETA) + c)
                    - xhat * heap.get(ip.get(BackwardInputArgs.GRAD_GAMMA) + c)));
        }
    }
}
