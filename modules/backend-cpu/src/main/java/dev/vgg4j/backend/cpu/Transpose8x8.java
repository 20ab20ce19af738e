package dev.vgg4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Moves an 8 x 8 block of floats from rows to columns in registers: eight row loads, three rounds of
 * permutes and blends, eight column stores. {@link PackedGemm} packs with it where a panel runs
 * across the rows of its source (A not transposed, B transposed), which element by element costs a
 * strided scalar store per float. Always 256-bit lanes: the block fits AVX2 and AVX-512 alike.
 */
final class Transpose8x8 {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
    static final int SIZE = 8;

    // Round h swaps the off-diagonal h x h blocks of every 2h x 2h block; rounds 4, 2, 1 transpose.
    // Each round is a one-vector permute (lane l takes lane l ^ h) and a blend of the lanes with bit h
    // set: single-source shuffles and constant blends, which AVX2 has as instructions.
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromValues(SPECIES, 4, 5, 6, 7, 0, 1, 2, 3);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromValues(SPECIES, 2, 3, 0, 1, 6, 7, 4, 5);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromValues(SPECIES, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorMask<Float> BIT4 = VectorMask.fromLong(SPECIES, 0b11110000);
    private static final VectorMask<Float> BIT2 = VectorMask.fromLong(SPECIES, 0b11001100);
    private static final VectorMask<Float> BIT1 = VectorMask.fromLong(SPECIES, 0b10101010);

    private Transpose8x8() {}

    /**
     * Source rows {@code r < rows} are the 8 floats at {@code src[srcOff + r*ld]}; rows from
     * {@code rows} to 7 read as zeros. Column {@code i} of the block (8 floats, row r in lane r) is
     * stored at {@code dst[dstOff + i*dstStride]}, in order of i, so with {@code dstStride < 8} a
     * column's zero lanes are overwritten by the next column and only the last one's stay behind.
     */
    static void transpose(float[] src, int srcOff, int ld, int rows, float[] dst, int dstOff, int dstStride) {
        FloatVector r0 = row(src, srcOff, ld, rows, 0), r1 = row(src, srcOff, ld, rows, 1);
        FloatVector r2 = row(src, srcOff, ld, rows, 2), r3 = row(src, srcOff, ld, rows, 3);
        FloatVector r4 = row(src, srcOff, ld, rows, 4), r5 = row(src, srcOff, ld, rows, 5);
        FloatVector r6 = row(src, srcOff, ld, rows, 6), r7 = row(src, srcOff, ld, rows, 7);

        FloatVector s0 = r0.blend(r4.rearrange(SWAP4), BIT4), s4 = r0.rearrange(SWAP4).blend(r4, BIT4);
        FloatVector s1 = r1.blend(r5.rearrange(SWAP4), BIT4), s5 = r1.rearrange(SWAP4).blend(r5, BIT4);
        FloatVector s2 = r2.blend(r6.rearrange(SWAP4), BIT4), s6 = r2.rearrange(SWAP4).blend(r6, BIT4);
        FloatVector s3 = r3.blend(r7.rearrange(SWAP4), BIT4), s7 = r3.rearrange(SWAP4).blend(r7, BIT4);

        FloatVector t0 = s0.blend(s2.rearrange(SWAP2), BIT2), t2 = s0.rearrange(SWAP2).blend(s2, BIT2);
        FloatVector t1 = s1.blend(s3.rearrange(SWAP2), BIT2), t3 = s1.rearrange(SWAP2).blend(s3, BIT2);
        FloatVector t4 = s4.blend(s6.rearrange(SWAP2), BIT2), t6 = s4.rearrange(SWAP2).blend(s6, BIT2);
        FloatVector t5 = s5.blend(s7.rearrange(SWAP2), BIT2), t7 = s5.rearrange(SWAP2).blend(s7, BIT2);

        t0.blend(t1.rearrange(SWAP1), BIT1).intoArray(dst, dstOff);
        t0.rearrange(SWAP1).blend(t1, BIT1).intoArray(dst, dstOff + dstStride);
        t2.blend(t3.rearrange(SWAP1), BIT1).intoArray(dst, dstOff + 2 * dstStride);
        t2.rearrange(SWAP1).blend(t3, BIT1).intoArray(dst, dstOff + 3 * dstStride);
        t4.blend(t5.rearrange(SWAP1), BIT1).intoArray(dst, dstOff + 4 * dstStride);
        t4.rearrange(SWAP1).blend(t5, BIT1).intoArray(dst, dstOff + 5 * dstStride);
        t6.blend(t7.rearrange(SWAP1), BIT1).intoArray(dst, dstOff + 6 * dstStride);
        t6.rearrange(SWAP1).blend(t7, BIT1).intoArray(dst, dstOff + 7 * dstStride);
    }

    private static FloatVector row(float[] src, int srcOff, int ld, int rows, int r) {
        return r < rows ? FloatVector.fromArray(SPECIES, src, srcOff + r * ld) : FloatVector.zero(SPECIES);
    }
}
