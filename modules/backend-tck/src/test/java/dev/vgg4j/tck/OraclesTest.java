package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The kit's float64 oracles checked against each other and against identities, without any
 * backend: a 1x1 convolution and a linear layer are GEMMs, and each backward is the adjoint of
 * its forward ({@code <gy, f(x)> = <f^T(gy), x>} for a linear f).
 */
class OraclesTest {
    private final SplittableRandom random = new SplittableRandom(11);

    private float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        return NumericalGradient.project(a, b);
    }

    @Test
    void oneByOneConvolutionIsAGemmPerImage() {
        ConvCase cc = new ConvCase(2, 5, 3, 4, 6, 1, 1, 0);
        float[] x = values(cc.input().size());
        float[] w = values(cc.weight().size());
        double[] conv = ConvOracle.forward(cc, OpConformance.toDouble(x), OpConformance.toDouble(w), null);
        int plane = 12;
        for (int n = 0; n < 2; n++) {
            float[] image = Arrays.copyOfRange(x, n * 5 * plane, (n + 1) * 5 * plane);
            // W [F, C] * X [C, H*W] = Y [F, H*W]
            double[] gemm = GemmOracle.gemm(false, false, 6, plane, 5, 1.0, w, image, 0.0, null);
            double[] y = Arrays.copyOfRange(conv, n * 6 * plane, (n + 1) * 6 * plane);
            assertEquals(0.0, Closeness.relativeError(y, gemm), 1e-14, "image " + n);
        }
    }

    @Test
    void linearIsAGemmWithTransposedWeight() {
        float[] x = values(3 * 7);
        float[] w = values(4 * 7);
        double[] linear = LinearOracle.forward(3, 7, 4, OpConformance.toDouble(x), OpConformance.toDouble(w), null);
        double[] gemm = GemmOracle.gemm(false, true, 3, 4, 7, 1.0, x, w, 0.0, null);
        assertEquals(0.0, Closeness.relativeError(linear, gemm), 1e-14);
    }

    @Test
    void convBackwardOpsAreAdjointsOfTheForward() {
        for (ConvCase cc : VggShapes.awkwardConvs()) {
            double[] x = OpConformance.toDouble(values(cc.input().size()));
            double[] w = OpConformance.toDouble(values(cc.weight().size()));
            double[] gy = OpConformance.toDouble(values(cc.output().size()));
            double forward = dot(gy, ConvOracle.forward(cc, x, w, null));
            assertEquals(forward, dot(ConvOracle.backwardInput(cc, gy, w), x), 1e-9 * Math.abs(forward) + 1e-12,
                    "input adjoint " + cc);
            assertEquals(forward, dot(ConvOracle.backwardWeight(cc, x, gy), w), 1e-9 * Math.abs(forward) + 1e-12,
                    "weight adjoint " + cc);
        }
    }

    @Test
    void linearBackwardOpsAreAdjointsOfTheForward() {
        double[] x = OpConformance.toDouble(values(5 * 9));
        double[] w = OpConformance.toDouble(values(3 * 9));
        double[] gy = OpConformance.toDouble(values(5 * 3));
        double forward = dot(gy, LinearOracle.forward(5, 9, 3, x, w, null));
        assertEquals(forward, dot(LinearOracle.gradInput(5, 9, 3, gy, w), x), 1e-12);
        assertEquals(forward, dot(LinearOracle.gradWeight(5, 9, 3, gy, x), w), 1e-12);
    }

    @Test
    void softmaxGradientRowsSumToZero() {
        double[] z = OpConformance.toDouble(values(4 * 10));
        double[] g = LossOracle.gradient(4, 10, z, new int[] {0, 3, 9, 3}, false);
        for (int r = 0; r < 4; r++) {
            double s = 0;
            for (int j = 0; j < 10; j++) {
                s += g[r * 10 + j];
            }
            assertEquals(0.0, s, 1e-12, "row " + r);
        }
    }

    @Test
    void batchNormOutputHasZeroMeanAndUnitVariancePerChannel() {
        double[] x = OpConformance.toDouble(values(2 * 3 * 16));
        double[] ones = {1, 1, 1};
        double[] zeros = {0, 0, 0};
        double[] y = BatchNormOracle.trainForward(2, 3, 16, x, ones, zeros, zeros, ones, 0.1, 0.0).y();
        for (int c = 0; c < 3; c++) {
            double s = 0;
            double sq = 0;
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < 16; i++) {
                    double v = y[(n * 3 + c) * 16 + i];
                    s += v;
                    sq += v * v;
                }
            }
            assertEquals(0.0, s / 32, 1e-12, "mean of channel " + c);
            assertEquals(1.0, sq / 32, 1e-12, "variance of channel " + c);
        }
    }

    @Test
    void closenessFailsOnPoisonAndOnLargeErrors() {
        double[] expected = {1.0, 2.0, 3.0};
        Closeness.assertClose("exact", new float[] {1f, 2f, 3f}, expected, 1e-7);
        assertThrows(AssertionFailedError.class,
                () -> Closeness.assertClose("poisoned", new float[] {1f, Float.NaN, 3f}, expected, 1.0));
        assertThrows(AssertionFailedError.class,
                () -> Closeness.assertClose("off", new float[] {1f, 2.01f, 3f}, expected, 1e-5));
        assertThrows(AssertionFailedError.class,
                () -> Closeness.assertSame("signed zero", new float[] {-0f}, new float[] {0f}));
    }

    @Test
    void numericalGradientOfAQuadratic() {
        double[] x = {0.3, -1.2, 2.0};
        double[] g = NumericalGradient.at(v -> v[0] * v[0] + 3 * v[1] * v[2], x, new int[] {0, 1, 2});
        assertEquals(0.6, g[0], 1e-9);
        assertEquals(6.0, g[1], 1e-9);
        assertEquals(-3.6, g[2], 1e-9);
        assertEquals(0.3, x[0], "x restored");
    }

    @Test
    void vgg16HasNineDistinctConvShapesPerInputSize() {
        assertEquals(9, VggShapes.vgg16Convs(32, 1).size());
        assertEquals(9, VggShapes.vgg16Convs(50, 1).size());
        assertEquals(new ConvCase(1, 512, 3, 3, 512, 3, 1, 1), VggShapes.vgg16Convs(50, 1).get(8));
        assertEquals(new ConvCase(1, 512, 2, 2, 512, 3, 1, 1), VggShapes.vgg16Convs(32, 1).get(8));
    }
}
