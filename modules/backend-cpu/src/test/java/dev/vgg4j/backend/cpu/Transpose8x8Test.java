package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-register block transpose moves every float to its transposed place, bit for bit: rows read
 * at an offset and a leading dimension wider than the block, missing rows as zeros, and column
 * strides narrower than 8 (the A panels, MR wide) as well as wider (the B panels, NR wide).
 */
class Transpose8x8Test {

    @ParameterizedTest(name = "rows={0} dstStride={1}")
    @CsvSource({"8, 8", "8, 16", "6, 6", "3, 8"})
    void columnsLandAsRows(int rows, int dstStride) {
        int size = Transpose8x8.SIZE;
        int ld = 13;
        int srcOff = 5;
        int dstOff = 3;
        float[] src = new float[srcOff + size * ld];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 0.25f;
        }
        float[] dst = new float[dstOff + (size - 1) * dstStride + size];
        java.util.Arrays.fill(dst, Float.NaN);

        Transpose8x8.transpose(src, srcOff, ld, rows, dst, dstOff, dstStride);

        for (int i = 0; i < size; i++) {
            // Lanes past dstStride are overwritten by the next column, except in the last one.
            int lanes = i == size - 1 ? size : Math.min(size, dstStride);
            for (int r = 0; r < lanes; r++) {
                float expected = r < rows ? src[srcOff + r * ld + i] : 0f;
                assertEquals(expected, dst[dstOff + i * dstStride + r], "column " + i + ", row " + r);
            }
        }
        assertEquals(Float.NaN, dst[dstOff - 1], "nothing written before dstOff");
    }
}
