package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MaxPool2d(2, 2), floor mode: values, argmax (dy*2+dx, first maximum on ties, NaN wins) and backward. */
public abstract class MaxPoolConformance extends OpConformance {

    protected MaxPoolConformance(BackendConformance kit) {
        super(kit);
    }

    /** VGG16's five pools at 32x32 and 50x50 (odd 25 -> 12 and 3 -> 1 drop a row and column), and awkward ones. */
    static List<Shape> shapes() {
        return List.of(
                Shape.nchw(2, 64, 32, 32), Shape.nchw(1, 128, 16, 16), Shape.nchw(1, 512, 2, 2),
                Shape.nchw(2, 64, 50, 50), Shape.nchw(1, 128, 25, 25), Shape.nchw(1, 512, 3, 3),
                Shape.nchw(1, 3, 7, 7), Shape.nchw(2, 5, 2, 9), Shape.nchw(1, 1, 3, 2));
    }

    /** The kit's own pooling: y and argmax of every 2x2 window of x [N, C, H, W]. */
    private static float[][] pool(Shape s, float[] x) {
        int oh = s.h() / 2;
        int ow = s.w() / 2;
        int planes = s.n() * s.c();
        float[] y = new float[planes * oh * ow];
        float[] argmax = new float[y.length];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    float bestValue = 0;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            float v = x[(p * s.h() + 2 * i + dy) * s.w() + 2 * j + dx];
                            boolean wins = best < 0 || (!Float.isNaN(bestValue) && (v > bestValue || Float.isNaN(v)));
                            if (wins) {
                                best = dy * 2 + dx;
                                bestValue = v;
                            }
                        }
                    }
                    y[(p * oh + i) * ow + j] = bestValue;
                    argmax[(p * oh + i) * ow + j] = best;
                }
            }
        }
        return new float[][] {y, argmax};
    }

    private static Shape pooled(Shape s) {
        return Shape.nchw(s.n(), s.c(), s.h() / 2, s.w() / 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.MaxPoolConformance#shapes")
    void forwardIsExact(Shape s) {
        Given x = given(s);
        Tensor y = poisoned(pooled(s));
        Tensor argmax = poisoned(pooled(s));
        backend.maxPool2dForward(x.tensor(), y, argmax);
        float[][] expected = pool(s, x.values());
        Closeness.assertSame("maxPool2dForward y " + s, read(y), expected[0]);
        Closeness.assertSame("maxPool2dForward argmax " + s, read(argmax), expected[1]);
    }

    /**
     * Windows (row-major 2x2): all equal; ties at positions 1 and 3; a NaN after a larger number; NaN
     * first. Repeated along the row 1 and 9 times (36 windows: past a 512-bit vector of windows and a tail).
     */
    @ParameterizedTest(name = "{0} times")
    @ValueSource(ints = {1, 9})
    void tiesGoToTheFirstAndNaNWins(int repeats) {
        float nan = Float.NaN;
        float[] top = {0.5f, 0.5f, 0.1f, 0.7f, 3f, -1f, nan, 9f};
        float[] bottom = {0.5f, 0.5f, 0.2f, 0.7f, nan, 2f, 9f, nan};
        float[] argmaxes = {0, 1, 2, 0};
        float[] values = {0.5f, 0.7f, nan, nan};
        int width = top.length * repeats;
        float[] x = new float[2 * width];
        float[] expectedArgmax = new float[width / 2];
        float[] expectedValues = new float[width / 2];
        for (int r = 0; r < repeats; r++) {
            System.arraycopy(top, 0, x, r * top.length, top.length);
            System.arraycopy(bottom, 0, x, width + r * bottom.length, bottom.length);
            System.arraycopy(argmaxes, 0, expectedArgmax, r * argmaxes.length, argmaxes.length);
            System.arraycopy(values, 0, expectedValues, r * values.length, values.length);
        }
        Shape s = Shape.nchw(1, 1, 2, width);
        Tensor y = poisoned(pooled(s));
        Tensor argmax = poisoned(pooled(s));
        backend.maxPool2dForward(backend.upload(x, s), y, argmax);
        Closeness.assertSame("argmax with ties and NaN", read(argmax), expectedArgmax);
        Closeness.assertSame("values with ties and NaN", read(y), expectedValues);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.MaxPoolConformance#shapes")
    void backwardRoutesToTheArgmaxAndZeroesTheRest(Shape s) {
        Given x = given(s);
        Given gy = given(pooled(s));
        Tensor y = poisoned(pooled(s));
        Tensor argmax = poisoned(pooled(s));
        Tensor gx = poisoned(s);
        backend.maxPool2dForward(x.tensor(), y, argmax);
        backend.maxPool2dBackward(gy.tensor(), argmax, gx);

        float[] expected = new float[s.size()];
        float[] winners = pool(s, x.values())[1];
        int oh = s.h() / 2;
        int ow = s.w() / 2;
        for (int p = 0; p < s.n() * s.c(); p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int k = (int) winners[(p * oh + i) * ow + j];
                    expected[(p * s.h() + 2 * i + k / 2) * s.w() + 2 * j + k % 2] = gy.values()[(p * oh + i) * ow + j];
                }
            }
        }
        Closeness.assertSame("maxPool2dBackward " + s, read(gx), expected);
    }

    /** L = sum(R * maxpool(x)) with distinct, well separated x so no window is near a tie. */
    @Test
    void backwardMatchesNumericalGradient() {
        Shape s = Shape.nchw(2, 3, 5, 6);
        Given x = given(separatedValues(s.size()), s);
        Given r = given(pooled(s));
        Tensor y = poisoned(pooled(s));
        Tensor argmax = poisoned(pooled(s));
        Tensor gx = poisoned(s);
        backend.maxPool2dForward(x.tensor(), y, argmax);
        backend.maxPool2dBackward(r.tensor(), argmax, gx);

        double[] rd = r.doubles();
        double[] xd = x.doubles();
        double[] numerical = NumericalGradient.at(v -> {
            // The max of each 2x2 window of v in double.
            double[] ys = new double[rd.length];
            int oh = s.h() / 2;
            int ow = s.w() / 2;
            for (int p = 0; p < s.n() * s.c(); p++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double best = Double.NEGATIVE_INFINITY;
                        for (int k = 0; k < 4; k++) {
                            best = Math.max(best, v[(p * s.h() + 2 * i + k / 2) * s.w() + 2 * j + k % 2]);
                        }
                        ys[(p * oh + i) * ow + j] = best;
                    }
                }
            }
            return NumericalGradient.project(ys, rd);
        }, xd, NumericalGradient.sample(xd.length, xd.length, random));
        Closeness.assertClose("maxPool2dBackward vs numerical", read(gx), numerical, tolerances().gradient());
    }

    @Test
    void rejectsMismatchedShapes() {
        Shape s = Shape.nchw(1, 2, 6, 6);
        Tensor x = given(s).tensor();
        Tensor y = poisoned(Shape.nchw(1, 2, 2, 3));
        Tensor argmax = poisoned(Shape.nchw(1, 2, 3, 3));
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.maxPool2dForward(x, y, argmax)),
                "maxPool2dForward", y.shape(), argmax.shape());
        Tensor gy = given(Shape.nchw(1, 2, 3, 3)).tensor();
        Tensor gx = poisoned(Shape.nchw(1, 2, 8, 8));
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.maxPool2dBackward(gy, argmax, gx)),
                "maxPool2dBackward", gy.shape(), Shape.nchw(1, 2, 4, 4));
        Tensor tiny = given(Shape.nchw(1, 2, 1, 4)).tensor();
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.maxPool2dForward(tiny, y, argmax)), "maxPool2dForward", tiny.shape());
    }
}
