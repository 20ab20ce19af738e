package dev.vgg4j.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResizeTest {

    @Test
    void upsamples2x2To4x4AsDerivedByHand() {
        // align_corners=False, 2 -> 4: output o samples input at max((o + 0.5) / 2 - 0.5, 0)
        // = 0, 0.25, 0.75, 1.25 (clamped to the last pixel), i.e. weights (1,0), (.75,.25), (.25,.75), (0,1).
        float[] src = {0, 1, 2, 3};
        float[] dst = new float[16];
        new Resize(4, 4).apply(src, new ImageSize(1, 2, 2), dst, 0);
        float[] expected = {
            0.0f, 0.25f, 0.75f, 1.0f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.0f, 2.25f, 2.75f, 3.0f};
        assertArrayEquals(expected, dst, 1e-7f);
    }

    @Test
    void recipe32To50MatchesTentFilterInDoubleWithin1e5() {
        ImageSize in = new ImageSize(3, 32, 32);
        float[] src = new float[in.elements()];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) random.nextDouble();
        }
        float[] dst = new float[3 * 50 * 50];
        new Resize(50, 50).apply(src, in, dst, 0);

        double[][] rows = tentWeights(32, 50);
        double maxError = 0;
        for (int c = 0; c < 3; c++) {
            for (int oy = 0; oy < 50; oy++) {
                for (int ox = 0; ox < 50; ox++) {
                    double expected = 0;
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            expected += rows[oy][y] * rows[ox][x] * src[(c * 32 + y) * 32 + x];
                        }
                    }
                    maxError = Math.max(maxError, Math.abs(expected - dst[(c * 50 + oy) * 50 + ox]));
                }
            }
        }
        assertEquals(0, maxError, 1e-5);
    }

    @Test
    void sameSizeIsIdentity() {
        float[] src = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        float[] dst = new float[6];
        new Resize(2, 3).apply(src, new ImageSize(1, 2, 3), dst, 0);
        assertArrayEquals(src, dst, 0f);
    }

    /**
     * Bilinear interpolation as a triangle ("tent") filter: output {@code o} samples at
     * {@code s = clamp((o + 0.5) * in / out - 0.5, 0, in - 1)} and input {@code j} weighs
     * {@code max(0, 1 - |s - j|)}. Written independently of {@link Resize}'s index/lambda form.
     */
    private static double[][] tentWeights(int in, int out) {
        double[][] w = new double[out][in];
        for (int o = 0; o < out; o++) {
            double s = Math.min(Math.max((o + 0.5) * in / out - 0.5, 0), in - 1);
            for (int j = 0; j < in; j++) {
                w[o][j] = Math.max(0, 1 - Math.abs(s - j));
            }
        }
        return w;
    }
}
