package dev.vgg4j.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final ImageSize SIZE = new ImageSize(2, 3, 4);

    private static float[] ramp() {
        float[] src = new float[SIZE.elements()];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 1;
        }
        return src;
    }

    @Test
    void normalizeAppliesPerChannelMeanAndStd() {
        float[] dst = new float[SIZE.elements()];
        new Normalize(new float[] {1, 13}, new float[] {2, 4}).apply(ramp(), SIZE, dst, 0);
        assertEquals((1 - 1) / 2f, dst[0]);
        assertEquals((12 - 1) / 2f, dst[11]);
        assertEquals((13 - 13) / 4f, dst[12]);
        assertEquals((24 - 13) / 4f, dst[23]);
    }

    @Test
    void normalizeRejectsWrongChannelCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalize.uniform(3, 0.5f, 0.5f).outputSize(SIZE));
        assertTrue(e.getMessage().contains("3 channel"), e.getMessage());
    }

    @Test
    void flipMirrorsEachRowOrLeavesTheImage() {
        float[] src = ramp();
        float[] flipped = new float[src.length];
        new RandomHorizontalFlip(1f).apply(src, SIZE, flipped, 5);
        assertArrayEquals(new float[] {4, 3, 2, 1}, java.util.Arrays.copyOf(flipped, 4));
        assertArrayEquals(new float[] {24, 23, 22, 21}, java.util.Arrays.copyOfRange(flipped, 20, 24));
        float[] kept = new float[src.length];
        new RandomHorizontalFlip(0f).apply(src, SIZE, kept, 5);
        assertArrayEquals(src, kept);
    }

    @Test
    void halfTheSeedsFlip() {
        float[] src = ramp();
        float[] dst = new float[src.length];
        int flips = 0;
        for (long seed = 0; seed < 1000; seed++) {
            new RandomHorizontalFlip(0.5f).apply(src, SIZE, dst, seed);
            flips += dst[0] == 4 ? 1 : 0;
        }
        assertTrue(flips > 430 && flips < 570, flips + " flips in 1000");
    }

    @Test
    void cropIsAShiftedWindowOfThePaddedImage() {
        float[] src = ramp();
        float[] dst = new float[SIZE.elements()];
        RandomCrop crop = new RandomCrop(3, 4, 1);
        Set<String> offsets = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            crop.apply(src, SIZE, dst, seed);
            int[] offset = findOffset(src, dst);
            offsets.add(offset[0] + "," + offset[1]);
            assertArrayEquals(crop(src, offset[0], offset[1]), dst, "seed " + seed);
        }
        assertEquals(9, offsets.size(), "every offset in -1..1 x -1..1 occurs: " + offsets);
    }

    @Test
    void cropLargerThanPaddedImageIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(6, 4, 1).outputSize(SIZE));
    }

    /** The (dy, dx) in -1..1 whose window matches. */
    private static int[] findOffset(float[] src, float[] dst) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (java.util.Arrays.equals(crop(src, dy, dx), dst)) {
                    return new int[] {dy, dx};
                }
            }
        }
        throw new AssertionError("output is no shifted window of the input");
    }

    private static float[] crop(float[] src, int dy, int dx) {
        float[] out = new float[SIZE.elements()];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    int sy = y + dy;
                    int sx = x + dx;
                    boolean inside = sy >= 0 && sy < 3 && sx >= 0 && sx < 4;
                    out[(c * 3 + y) * 4 + x] = inside ? src[(c * 3 + sy) * 4 + sx] : 0;
                }
            }
        }
        return out;
    }
}
