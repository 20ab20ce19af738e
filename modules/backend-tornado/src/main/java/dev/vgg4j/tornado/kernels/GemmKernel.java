package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Strided, batched, tiled GEMM: for every batch b, {@code C_b[M, N] = alpha * A_b[M, K] * B_b[K, N]
 * + beta * C_b}. Each matrix is an offset into the heap plus a row stride and a column stride, so a
 * transpose is a swap of strides and a convolution's per-image slices are a batch stride.
 *
 * <p>Grid: x over columns (N rounded up to {@link Params#TILE}), y over rows (M rounded up), z over
 * the batch; work-groups of TILE x TILE. Each work-group stages a TILE x TILE block of A and of B in
 * local memory per step along K, then every work-item accumulates its one output.
 *
 * <p>ip: M, N, K, aOff, aRowStride, aColStride, aBatchStride, bOff, bRowStride, bColStride,
 * bBatchStride, cOff, cRowStride, cBatchStride, readC (0 when beta is 0: C is then not read).
 * fp: alpha, beta.
 */
public final class GemmKernel {
    private GemmKernel() {}

    public static void gemm(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int m = ip.get(0);
        int n = ip.get(1);
        int k = ip.get(2);
        int tx = ctx.localIdx;
        int ty = ctx.localIdy;
        int col = ctx.groupIdx * Params.TILE + tx;
        int row = ctx.groupIdy * Params.TILE + ty;
        int batch = ctx.globalIdz;
        int aBase = ip.get(3) + batch * ip.get(6);
        int bBase = ip.get(7) + batch * ip.get(10);
        int aRowStride = ip.get(4);
        int aColStride = ip.get(5);
        int bRowStride = ip.get(8);
        int bColStride = ip.get(9);

        float[] aTile = ctx.allocateFloatLocalArray(Params.TILE * Params.TILE);
        float[] bTile = ctx.allocateFloatLocalArray(Params.TILE * Params.TILE);
        float acc = 0f;
        for (int k0 = 0; k0 < k; k0 += Params.TILE) {
            int ka = k0 + tx;
            float av = 0f;
            if (row < m && ka < k) {
                av = heap.get(aBase + row * aRowStride + ka * aColStride);
            }
            aTile[ty * Params.TILE + tx] = av;
            int kb = k0 + ty;
            float bv = 0f;
            if (kb < k && col < n) {
                bv = heap.get(bBase + kb * bRowStride + col * bColStride);
            }
            bTile[ty * Params.TILE + tx] = bv;
            ctx.localBarrier();
            for (int kk = 0; kk < Params.TILE; kk++) {
                acc += aTile[ty * Params.TILE + kk] * bTile[kk * Params.TILE + tx];
            }
            ctx.localBarrier();
        }
        if (row < m && col < n) {
            int at = ip.get(11) + batch * ip.get(13) + row * ip.get(12) + col;
            float value = fp.get(0) * acc;
            if (ip.get(14) == 1) {
                value = value + fp.get(1) * heap.get(at);
            }
            heap.set(at, value);
        }
    }
}
