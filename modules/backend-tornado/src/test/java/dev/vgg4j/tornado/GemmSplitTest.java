package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.tornado.kernels.Params;
import org.junit.jupiter.api.Test;

/** The split-K policy alone: plain arithmetic, no device. */
class GemmSplitTest {
    private static final long LARGE_BUDGET = 1L << 30;

    @Test
    void aGemmWithEnoughOutputBlocksIsNotSplit() {
        assertEquals(1, GemmSplit.slices(4096, 4096, 4096, LARGE_BUDGET));
        assertEquals(1, GemmSplit.slices(2048, 2048, 100_000, LARGE_BUDGET));
    }

    @Test
    void theRecipesSecondConvolutionWeightGradientIsSplitIntoSlicesThatCoverK() {
        // gradW [64, 576] = gradT [64, 128*2500] * col^T: 1 x 5 output blocks of 64 x 128, K = 320,000.
        int k = 128 * 2500;
        int slices = GemmSplit.slices(64, 576, k, LARGE_BUDGET);
        assertTrue(slices * 5 >= GemmSplit.TARGET_BLOCKS, "slices " + slices);
        int length = GemmSplit.sliceLength(k, slices);
        int count = GemmSplit.sliceCount(k, length);
        assertEquals(0, length % Params.TILE);
        assertTrue(length >= GemmSplit.MIN_SLICE);
        assertTrue((long) count * length >= k && (long) (count - 1) * length < k, count + " x " + length);
    }

    @Test
    void slicesStayWithinThePartialSumsBudget() {
        assertEquals(3, GemmSplit.slices(64, 576, 320_000, 64L * 576 * 3));
        assertEquals(1, GemmSplit.slices(64, 576, 320_000, 64L * 576));
    }

    @Test
    void aShortKIsNotSplitAndNoSliceIsShorterThanTheMinimum() {
        assertEquals(1, GemmSplit.slices(64, 64, GemmSplit.MIN_SPLIT_K - 1, LARGE_BUDGET));
        int k = GemmSplit.MIN_SPLIT_K;
        assertEquals(k / GemmSplit.MIN_SLICE, GemmSplit.slices(64, 64, k, LARGE_BUDGET));
    }
}
