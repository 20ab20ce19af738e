package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.Params;

/**
 * When and how a GEMM is split along K. A weight gradient such as the recipe's second convolution
 * ([64, 576] with K = 128 images x 2,500 positions) has 5 output blocks: one work-group each would
 * leave almost all of a GPU idle for the whole of K. Splitting K into slices, each a batch entry of
 * the same GEMM writing its own partial C, gives the device enough work-groups; a second launch adds
 * the slices in a fixed order (deterministic).
 */
final class GemmSplit {
    private GemmSplit() {}

    /**
     * Work-groups to aim for: a few per multiprocessor of a large GPU (132 on an H100). A GEMM with
     * half as many output blocks already fills the device and is not split.
     */
    static final int TARGET_BLOCKS = 512;

    /** No slice is shorter than this: shorter ones pay more for the partial sums than they gain. */
    static final int MIN_SLICE = 256;

    /**
     * K below which a GEMM is never split. A block's K loop of 4096 (64 x 128 x 4096 x 2 = 67 MFLOP,
     * ~0.8 ms on one H100 multiprocessor at the measured ~80 GFLOP/s each) is worth the split's extra
     * launch (~0.2 ms measured); loops a few times shorter are not.
     */
    static final int MIN_SPLIT_K = 4096;

    /**
     * How many slices a single [M, N] x K GEMM asks for (1: not split), with partial sums within
     * {@code budgetFloats}; {@link #sliceLength} and {@link #sliceCount} give the exact cover of K.
     */
    static int slices(int m, int n, int k, long budgetFloats) {
        long blocks = (long) ceilDiv(m, Params.GEMM_ROWS) * ceilDiv(n, Params.GEMM_COLS);
        if (blocks * 2 >= TARGET_BLOCKS || k < MIN_SPLIT_K) {
            return 1;
        }
        long wanted = Math.min(ceilDiv(TARGET_BLOCKS, (int) blocks), k / MIN_SLICE);
        long fitting = budgetFloats / ((long) m * n);
        return (int) Math.max(1, Math.min(wanted, fitting));
    }

    /** The K length of each slice: a multiple of the staged tile depth. */
    static int sliceLength(int k, int slices) {
        return ceilDiv(ceilDiv(k, slices), Params.TILE) * Params.TILE;
    }

    /** Slices of {@code kSlice} that cover K (the last may be shorter). */
    static int sliceCount(int k, int kSlice) {
        return ceilDiv(k, kSlice);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
