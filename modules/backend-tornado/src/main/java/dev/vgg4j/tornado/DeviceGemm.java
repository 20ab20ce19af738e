package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.GemmArgs;
import dev.vgg4j.tornado.kernels.GemmKernel;
import dev.vgg4j.tornado.kernels.Operand;

/**
 * The host side of the device GEMM ({@link GemmKernel}): checks the operands, and splits a single
 * GEMM with too few output blocks for the device and a long K along K into slices summed by a
 * second launch (see {@link GemmSplit}).
 */
final class DeviceGemm {
    private final LaunchQueue queue;
    private final ScratchBuffer partials;
    /** Split-K partial sums' budget, floats. */
    private final long partialsBudget;

    DeviceGemm(LaunchQueue queue, ScratchBuffer partials, long partialsBudget) {
        this.queue = queue;
        this.partials = partials;
        this.partialsBudget = partialsBudget;
    }

    /** C = alpha * A * B + beta * C for row-major A [M, K] or, transposed, [K, M], and B [K, N] or [N, K]. */
    void plain(boolean transA, boolean transB, int m, int n, int k, float alpha, int a, int b, float beta, int c) {
        // A transpose swaps strides.
        Operand am = transA ? Operand.of(a, 1, m) : Operand.of(a, k, 1);
        Operand bm = transB ? Operand.of(b, 1, k) : Operand.of(b, n, 1);
        run(new GemmArgs(m, n, k, am, bm, Operand.of(c, n, 1), alpha, beta, -1, 0), 1);
    }

    /**
     * C_z = alpha * A_z * B_z + beta * C_z (+ bias per row of C) for z below {@code batch}. A single
     * GEMM is split along K when {@link GemmSplit} says so (a weight gradient, or the convolutions
     * of a small plane whose C has image columns and a bias).
     */
    void run(GemmArgs gemm, int batch) {
        int slices = batch == 1 ? GemmSplit.slices(gemm.m(), gemm.n(), gemm.k(), partialsBudget) : 1;
        if (slices == 1) {
            launch(gemm, batch);
            return;
        }
        int kSlice = GemmSplit.sliceLength(gemm.k(), slices);
        int count = GemmSplit.sliceCount(gemm.k(), kSlice);
        int size = gemm.m() * gemm.n();
        int parts = partials.offset(count * size);
        // part[s][M, N] = alpha * A[:, s-th K slice] * B[s-th K slice, :], then C = sum over s (+ beta * C) (+ bias).
        launch(gemm.slicedInto(Operand.of(parts, gemm.n(), 1).batched(size), kSlice), count);
        queue.elementwise(DeviceKernel.SUM_SLICES,
                new GemmArgs.SumSlices(size, parts, count, gemm.c(), gemm.n(), gemm.beta(), gemm.bias()));
    }

    private void launch(GemmArgs gemm, int batch) {
        if (gemm.b().hasImageColumns() && gemm.b().colStride() != 1) {
            throw new IllegalStateException("gemm: B with image columns needs column stride 1, got " + gemm.b().colStride());
        }
        if (gemm.a().hasImageColumns() && gemm.a().colStride() != 1) {
            throw new IllegalStateException("gemm: A with image columns needs column stride 1, got " + gemm.a().colStride());
        }
        queue.gemm(gemm, batch);
    }
}
