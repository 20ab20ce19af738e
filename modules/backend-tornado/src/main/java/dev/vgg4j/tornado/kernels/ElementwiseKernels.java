package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * One work-item per element over the device heap. Every tensor is an offset into {@code heap};
 * {@code ip[0]} is the element count and the grid is rounded up to {@link Params#GROUP}.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    /** heap[t + i] = fp[0]. ip: n, t. */
    public static void fill(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            heap.set(ip.get(1) + i, fp.get(0));
        }
    }

    /** heap[dst + i] = heap[src + i]. ip: n, src, dst. */
    public static void copy(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            heap.set(ip.get(2) + i, heap.get(ip.get(1) + i));
        }
    }

    /** y[i] = fp[0] * x[i] + fp[1] * y[i] (axpy: fp = alpha, 1; scale: x = y, fp = alpha, 0). ip: n, x, y. */
    public static void axpby(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int y = ip.get(2) + i;
            heap.set(y, fp.get(0) * heap.get(ip.get(1) + i) + fp.get(1) * heap.get(y));
        }
    }

    /** out[i] = a[i] * b[i] (dropout backward: gradY * mask). ip: n, a, b, out. */
    public static void multiply(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            heap.set(ip.get(3) + i, heap.get(ip.get(1) + i) * heap.get(ip.get(2) + i));
        }
    }

    /**
     * Per-channel broadcast over [N, C, P]: out[i] = v[(i / P) % C]. Linear bias rows are C = out,
     * P = 1; a convolution's bias before its GEMM accumulates is C = F, P = OH*OW. ip: n, v, out, C, P.
     */
    public static void channelBroadcast(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            heap.set(ip.get(2) + i, heap.get(ip.get(1) + (i / ip.get(4)) % ip.get(3)));
        }
    }

    /** y = max(x, 0); y may be x. ip: n, x, y. */
    public static void reluForward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            float x = heap.get(ip.get(1) + i);
            heap.set(ip.get(2) + i, x > 0f ? x : 0f);
        }
    }

    /** gradX = y > 0 ? gradY : 0; gradX may be gradY. ip: n, y, gradY, gradX. */
    public static void reluBackward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            float g = heap.get(ip.get(2) + i);
            heap.set(ip.get(3) + i, heap.get(ip.get(1) + i) > 0f ? g : 0f);
        }
    }

    /**
     * Inverted dropout with {@code CounterRng}'s SplitMix64 hash, bit for bit: kept when
     * {@code (hash(seed, i) >>> 40) * 2^-24 >= p}. ip: n, x, y, mask, seed high word, seed low word;
     * fp: p, 1 / (1 - p).
     */
    public static void dropoutForward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            long seed = ((long) ip.get(4) << 32) | (ip.get(5) & 0xFFFFFFFFL);
            // z >>> s written as (z >> s) & (2^(64-s) - 1): TornadoVM 5.2 emits a long >>> as a
            // signed shift in OpenCL C, which would differ from CounterRng for negative z.
            long z = seed + (i + 1L) * 0x9E3779B97F4A7C15L;
            z = (z ^ ((z >> 30) & 0x3FFFFFFFFL)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ ((z >> 27) & 0x1FFFFFFFFFL)) * 0x94D049BB133111EBL;
            z = z ^ ((z >> 31) & 0x1FFFFFFFFL);
            float uniform = (int) ((z >> 40) & 0xFFFFFFL) * 0x1.0p-24f;
            float mask = uniform >= fp.get(0) ? fp.get(1) : 0f;
            heap.set(ip.get(3) + i, mask);
            heap.set(ip.get(2) + i, heap.get(ip.get(1) + i) * mask);
        }
    }
}
