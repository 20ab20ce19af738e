package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Per-channel reductions over a tensor viewed as {@code [outer, C, inner]}: one work-group of
 * {@link Params#GROUP} work-items per channel; each work-item sums a strided share serially, then
 * the group halves a local-memory array (a pairwise tree). Own reductions rather than
 * {@code @Reduce}, which gave wrong large sums on PoCL. The tree loop is written out in every
 * kernel: TornadoVM 5.2 indexes a local array passed to a helper method as if it were a heap
 * array (with the array header's offset), which reads the wrong elements.
 */
public final class ReductionKernels {
    private ReductionKernels() {}

    /** {@link #channelSums}: src viewed as [outer, channels, inner], out [channels]; one work-group per channel. */
    public record ChannelSumsArgs(int src, int out, int outer, int channels, int inner) implements LaunchArgs {
        public static final int SRC = 0;
        public static final int OUT = 1;
        public static final int OUTER = 2;
        public static final int CHANNELS = 3;
        public static final int INNER = 4;

        @Override
        public int[] ints() {
            int[] ip = new int[5];
            ip[SRC] = src;
            ip[OUT] = out;
            ip[OUTER] = outer;
            ip[CHANNELS] = channels;
            ip[INNER] = inner;
            return ip;
        }
    }

    /** {@link #batchNormStats}: x [n, channels, plane]; the saved and the running per-channel statistics. */
    public record StatsArgs(int x, int n, int channels, int plane, int saveMean, int saveInvStd, int runningMean,
                            int runningVariance, float momentum, float eps) implements LaunchArgs {
        public static final int X = 0;
        public static final int N = 1;
        public static final int CHANNELS = 2;
        public static final int PLANE = 3;
        public static final int SAVE_MEAN = 4;
        public static final int SAVE_INV_STD = 5;
        public static final int RUNNING_MEAN = 6;
        public static final int RUNNING_VARIANCE = 7;
        public static final int MOMENTUM = 0;
        public static final int EPS = 1;

        @Override
        public int[] ints() {
            int[] ip = new int[8];
            ip[X] = x;
            ip[N] = n;
            ip[CHANNELS] = channels;
            ip[PLANE] = plane;
            ip[SAVE_MEAN] = saveMean;
            ip[SAVE_INV_STD] = saveInvStd;
            ip[RUNNING_MEAN] = runningMean;
            ip[RUNNING_VARIANCE] = runningVariance;
            return ip;
        }

        @Override
        public float[] floats() {
            float[] fp = new float[2];
            fp[MOMENTUM] = momentum;
            fp[EPS] = eps;
            return fp;
        }
    }

    /**
     * {@link #batchNormBackwardSums}: x and gradY [n, channels, plane], saved statistics, the two
     * gradients out; {@code reluY} and {@code reluGradY} the folded ReLU backward's y and incoming
     * gradient (-1 when none is folded in).
     */
    public record BackwardSumsArgs(int x, int gradY, int n, int channels, int plane, int saveMean, int saveInvStd,
                                   int gradGamma, int gradBeta, int reluY, int reluGradY) implements LaunchArgs {
        public static final int X = 0;
        public static final int GRAD_Y = 1;
        public static final int N = 2;
        public static final int CHANNELS = 3;
        public static final int PLANE = 4;
        public static final int SAVE_MEAN = 5;
        public static final int SAVE_INV_STD = 6;
        public static final int GRAD_GAMMA = 7;
        public static final int GRAD_BETA = 8;
        public static final int RELU_Y = 9;
        public static final int RELU_GRAD_Y = 10;

        @Override
        public int[] ints() {
            int[] ip = new int[11];
            ip[X] = x;
            ip[GRAD_Y] = gradY;
            ip[N] = n;
            ip[CHANNELS] = channels;
            ip[PLANE] = plane;
            ip[SAVE_MEAN] = saveMean;
            ip[SAVE_INV_STD] = saveInvStd;
            ip[GRAD_GAMMA] = gradGamma;
            ip[GRAD_BETA] = gradBeta;
            ip[RELU_Y] = reluY;
            ip[RELU_GRAD_Y] = reluGradY;
            return ip;
        }
    }

    /**
     * out[c] = sum_{o, p} src[o, c, p]: bias gradients (linear: [N, F, 1]; conv: [N, F, P]) and the
     * total sum ([1, 1, size]).
     */
    public static void channelSums(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int c = ctx.groupIdx;
        int tid = ctx.localIdx;
        int channels = ip.get(ChannelSumsArgs.CHANNELS);
        int inner = ip.get(ChannelSumsArgs.INNER);
        int count = ip.get(ChannelSumsArgs.OUTER) * inner;
        float[] part = ctx.allocateFloatLocalArray(Params.GROUP);
        float s = 0f;
        for (int m = tid; m < count; m += Params.GROUP) {
            int o = m / inner;
            s += heap.get(ip.get(ChannelSumsArgs.SRC) + (o * channels + c) * inner + (m - o * inner));
        }
        part[tid] = s;
        for (int half = Params.GROUP / 2; half > 0; half = half / 2) {
            ctx.localBarrier();
            if (tid < half) {
                part[tid] = part[tid] + part[tid + half];
            }
        }
        ctx.localBarrier();
        if (tid == 0) {
            heap.set(ip.get(ChannelSumsArgs.OUT) + c, part[0]);
        }
    }

    /**
     * BatchNorm2d training statistics of x [N, C, P], two passes (mean, then squared deviations):
     * writes saveMean, saveInvStd = 1/sqrt(biasedVar + eps) and updates the running stats with the
     * unbiased variance.
     */
    public static void batchNormStats(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int c = ctx.groupIdx;
        int tid = ctx.localIdx;
        int channels = ip.get(StatsArgs.CHANNELS);
        int plane = ip.get(StatsArgs.PLANE);
        int count = ip.get(StatsArgs.N) * plane;
        float[] part = ctx.allocateFloatLocalArray(Params.GROUP);
        float s = 0f;
        for (int m = tid; m < count; m += Params.GROUP) {
            int n = m / plane;
            s += heap.get(ip.get(StatsArgs.X) + (n * channels + c) * plane + (m - n * plane));
        }
        part[tid] = s;
        for (int half = Params.GROUP / 2; half > 0; half = half / 2) {
            ctx.localBarrier();
            if (tid < half) {
                part[tid] = part[tid] + part[tid + half];
            }
        }
        ctx.localBarrier();
        float mean = part[0] / count;
        ctx.localBarrier();
        float sq = 0f;
        for (int m = tid; m < count; m += Params.GROUP) {
            int n = m / plane;
            float d = heap.get(ip.get(StatsArgs.X) + (n * channels + c) * plane + (m - n * plane)) - mean;
            sq += d * d;
        }
        part[tid] = sq;
        for (int half = Params.GROUP / 2; half > 0; half = half / 2) {
            ctx.localBarrier();
            if (tid < half) {
                part[tid] = part[tid] + part[tid + half];
            }
        }
        ctx.localBarrier();
        if (tid == 0) {
            float squares = part[0];
            float momentum = fp.get(StatsArgs.MOMENTUM);
            heap.set(ip.get(StatsArgs.SAVE_MEAN) + c, mean);
            heap.set(ip.get(StatsArgs.SAVE_INV_STD) + c, 1f / TornadoMath.sqrt(squares / count + fp.get(StatsArgs.EPS)));
            int rm = ip.get(StatsArgs.RUNNING_MEAN) + c;
            int rv = ip.get(StatsArgs.RUNNING_VARIANCE) + c;
            heap.set(rm, (1f - momentum) * heap.get(rm) + momentum * mean);
            heap.set(rv, (1f - momentum) * heap.get(rv) + momentum * (squares / (count - 1)));
        }
    }

    /**
     * BatchNorm2d backward sums per channel: gradBeta = sum gradY, gradGamma = sum gradY * xhat with
     * xhat = (x - mean) * invStd. With the following ReLU's backward folded in (reluY offset not -1),
     * gradY is first computed and written here as {@link ElementwiseKernels#reluBackward} does,
     * gradY = reluY > 0 ? reluGradY : 0, which saves its launch.
     */
    public static void batchNormBackwardSums(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int c = ctx.groupIdx;
        int tid = ctx.localIdx;
        int channels = ip.get(BackwardSumsArgs.CHANNELS);
        int plane = ip.get(BackwardSumsArgs.PLANE);
        int count = ip.get(BackwardSumsArgs.N) * plane;
        float mean = heap.get(ip.get(BackwardSumsArgs.SAVE_MEAN) + c);
        float invStd = heap.get(ip.get(BackwardSumsArgs.SAVE_INV_STD) + c);
        int reluY = ip.get(BackwardSumsArgs.RELU_Y);
        float[] sumG = ctx.allocateFloatLocalArray(Params.GROUP);
        float[] sumGx = ctx.allocateFloatLocalArray(Params.GROUP);
        float g1 = 0f;
        float g2 = 0f;
        for (int m = tid; m < count; m += Params.GROUP) {
            int n = m / plane;
            int at = (n * channels + c) * plane + (m - n * plane);
            float centered = heap.get(ip.get(BackwardSumsArgs.X) + at) - mean;
            float g;
            if (reluY >= 0) {
                g = heap.get(reluY + at) > 0f ? heap.get(ip.get(BackwardSumsArgs.RELU_GRAD_Y) + at) : 0f;
                heap.set(ip.get(BackwardSumsArgs.GRAD_Y) + at, g);
            } else {
                g = heap.get(ip.get(BackwardSumsArgs.GRAD_Y) + at);
            }
            g1 += g;
            g2 += g * centered * invStd;
        }
        sumG[tid] = g1;
        sumGx[tid] = g2;
        for (int half = Params.GROUP / 2; half > 0; half = half / 2) {
            ctx.localBarrier();
            if (tid < half) {
                sumG[tid] = sumG[tid] + sumG[tid + half];
                sumGx[tid] = sumGx[tid] + sumGx[tid + half];
            }
        }
        ctx.localBarrier();
        if (tid == 0) {
            heap.set(ip.get(BackwardSumsArgs.GRAD_GAMMA) + c, sumGx[0]);
            heap.set(ip.get(BackwardSumsArgs.GRAD_BETA) + c, sumG[0]);
        }
    }
}
