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

    /**
     * out[c] = sum_{o, p} src[o, c, p]: bias gradients (linear: [N, F, 1]; conv: [N, F, P]) and the
     * total sum ([1, 1, size]). ip: src, out, outer, C, inner.
     */
    public static void channelSums(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int c = ctx.groupIdx;
        int tid = ctx.localIdx;
        int channels = ip.get(3);
        int inner = ip.get(4);
        int count = ip.get(2) * inner;
        float[] part = ctx.allocateFloatLocalArray(Params.GROUP);
        float s = 0f;
        for (int m = tid; m < count; m += Params.GROUP) {
            int o = m / inner;
            s += heap.get(ip.get(0) + (o * channels + c) * inner + (m - o * inner));
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
            heap.set(ip.get(1) + c, part[0]);
        }
    }

    /**
     * BatchNorm2d training statistics of x [N, C, P], two passes (mean, then squared deviations):
     * writes saveMean, saveInvStd = 1/sqrt(biasedVar + eps) and updates the running stats with the
     * unbiased variance. ip: x, N, C, P, saveMean, saveInvStd, runningMean, runningVar.
     * fp: momentum, eps.
     */
    public static void batchNormStats(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int c = ctx.groupIdx;
        int tid = ctx.localIdx;
        int channels = ip.get(2);
        int plane = ip.get(3);
        int count = ip.get(1) * plane;
        float[] part = ctx.allocateFloatLocalArray(Params.GROUP);
        float s = 0f;
        for (int m = tid; m < count; m += Params.GROUP) {
            int n = m / plane;
            s += heap.get(ip.get(0) + (n * channels + c) * plane + (m - n * plane));
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
            float d = heap.get(ip.get(0) + (n * channels + c) * plane + (m - n * plane)) - mean;
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
            float momentum = fp.get(0);
            heap.set(ip.get(4) + c, mean);
            heap.set(ip.get(5) + c, 1f / TornadoMath.sqrt(squares / count + fp.get(1)));
            int rm = ip.get(6) + c;
            int rv = ip.get(7) + c;
            heap.set(rm, (1f - momentum) * heap.get(rm) + momentum * mean);
            heap.set(rv, (1f - momentum) * heap.get(rv) + momentum * (squares / (count - 1)));
        }
    }

    /**
     * BatchNorm2d backward sums per channel: gradBeta = sum gradY, gradGamma = sum gradY * xhat with
     * xhat = (x - mean) * invStd. With the following ReLU's backward folded in (reluY offset not -1),
     * gradY is first computed and written here as {@link ElementwiseKernels#reluBackward} does,
     * gradY = reluY > 0 ? reluGradY : 0, which saves its launch. ip: x, gradY, N, C, P, saveMean,
     * saveInvStd, gradGamma, gradBeta, reluY, reluGradY.
     */
    public static void batchNormBackwardSums(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int c = ctx.groupIdx;
        int tid = ctx.localIdx;
        int channels = ip.get(3);
        int plane = ip.get(4);
        int count = ip.get(2) * plane;
        float mean = heap.get(ip.get(5) + c);
        float invStd = heap.get(ip.get(6) + c);
        int reluY = ip.get(9);
        float[] sumG = ctx.allocateFloatLocalArray(Params.GROUP);
        float[] sumGx = ctx.allocateFloatLocalArray(Params.GROUP);
        float g1 = 0f;
        float g2 = 0f;
        for (int m = tid; m < count; m += Params.GROUP) {
            int n = m / plane;
            int at = (n * channels + c) * plane + (m - n * plane);
            float centered = heap.get(ip.get(0) + at) - mean;
            float g;
            if (reluY >= 0) {
                g = heap.get(reluY + at) > 0f ? heap.get(ip.get(10) + at) : 0f;
                heap.set(ip.get(1) + at, g);
            } else {
                g = heap.get(ip.get(1) + at);
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
            heap.set(ip.get(7) + c, sumGx[0]);
            heap.set(ip.get(8) + c, sumG[0]);
        }
    }
}
