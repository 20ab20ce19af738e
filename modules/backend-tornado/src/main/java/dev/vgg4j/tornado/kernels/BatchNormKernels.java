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
     * y = (x - mean[c]) * invStd[c] * gamma[c] + beta[c]. In training invStd is saveInvStd; in
     * inference (mode 1) it is computed from runningVar and eps. With a ReLU folded in (relu offset
     * not -1) also relu = max(y, 0) as {@link ElementwiseKernels#reluForward} computes it, written
     * alone when it is y (in place): one launch instead of two. ip: n, x, y, C, P, mean, invStdOrVar,
     * gamma, beta, mode, relu. fp: eps.
     */
    public static void batchNormApply(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int c = (i / ip.get(4)) % ip.get(3);
            float scale = heap.get(ip.get(6) + c);
            if (ip.get(9) == 1) {
                scale = 1f / TornadoMath.sqrt(scale + fp.get(0));
            }
            float xhat = (heap.get(ip.get(1) + i) - heap.get(ip.get(5) + c)) * scale;
            float y = xhat * heap.get(ip.get(7) + c) + heap.get(ip.get(8) + c);
            int relu = ip.get(10);
            if (relu != ip.get(2)) {
                heap.set(ip.get(2) + i, y);
            }
            if (relu >= 0) {
                heap.set(relu + i, y > 0f ? y : 0f);
            }
        }
    }

    /**
     * gradX = gamma * invStd / M * (M * gradY - gradBeta - xhat * gradGamma), M = N*P.
     * ip: n, x, gradY, gradX, C, P, gamma, saveMean, saveInvStd, gradGamma, gradBeta, M.
     */
    public static void backwardInput(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int c = (i / ip.get(5)) % ip.get(4);
            float count = ip.get(11);
            float invStd = heap.get(ip.get(8) + c);
            float xhat = (heap.get(ip.get(1) + i) - heap.get(ip.get(7) + c)) * invStd;
            float scale = heap.get(ip.get(6) + c) * invStd / count;
            float g = heap.get(ip.get(2) + i);
            heap.set(ip.get(3) + i, scale * (count * g - heap.get(ip.get(10) + c) - xhat * heap.get(ip.get(9) + c)));
        }
    }
}
