package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code nn.AdaptiveAvgPool2d}: window means and their backward against a float64 oracle written
 * from PyTorch's definition with floating-point floor and ceil, and a central-difference gradient.
 */
public abstract class AdaptiveAvgPoolConformance extends OpConformance {

    protected AdaptiveAvgPoolConformance(BackendConformance kit) {
        super(kit);
    }

    /** Input {@code [N, C, H, W]} pooled to {@code [N, C, outH, outW]}. */
    public record Case(Shape input, int outH, int outW) {
        Shape output() {
            return Shape.nchw(input.n(), input.c(), outH, outW);
        }

        @Override
        public String toString() {
            return input + " -> " + outH + "x" + outW;
        }
    }

    /**
     * torchvision's 7x7 pool over the maps VGG leaves at 32, 50, 64, 112 and 224 pixels (1x1, 1x1
     * and 3x3 before the last max-pool at 50, 2x2, 3x3, 7x7 identity, 14x14 without the last
     * max-pool), overlapping windows (5 -> 3), non-square, batch 1 and odd channel counts.
     */
    static List<Case> cases() {
        return List.of(
                new Case(Shape.nchw(2, 512, 1, 1), 7, 7), new Case(Shape.nchw(1, 512, 3, 3), 7, 7),
                new Case(Shape.nchw(2, 3, 2, 2), 7, 7), new Case(Shape.nchw(1, 5, 3, 3), 7, 7),
                new Case(Shape.nchw(2, 7, 7, 7), 7, 7), new Case(Shape.nchw(1, 9, 14, 14), 7, 7),
                new Case(Shape.nchw(1, 3, 5, 5), 3, 3), new Case(Shape.nchw(2, 5, 6, 4), 4, 3),
                new Case(Shape.nchw(1, 1, 4, 10), 7, 3), new Case(Shape.nchw(3, 2, 9, 1), 2, 5));
    }

    /** PyTorch's window along one axis: {@code [floor(i*in/out), ceil((i+1)*in/out))}. */
    private static int[] window(int i, int in, int out) {
        return new int[] {(int) Math.floor((double) i * in / out), (int) Math.ceil((double) (i + 1) * in / out)};
    }

    /** An output of the case, its plane and the input rows and columns {@code [from, to)} it averages. */
    private interface Window {
        void visit(int output, int plane, int[] rows, int[] cols);
    }

    private static void forEachWindow(Case k, Window body) {
        Shape s = k.input();
        for (int p = 0; p < s.n() * s.c(); p++) {
            for (int i = 0; i < k.outH(); i++) {
                for (int j = 0; j < k.outW(); j++) {
                    body.visit((p * k.outH() + i) * k.outW() + j, p, window(i, s.h(), k.outH()), window(j, s.w(), k.outW()));
                }
            }
        }
    }

    /** The oracle forward in double: the mean of every window of x. */
    private static double[] pool(Case k, double[] x) {
        Shape s = k.input();
        double[] y = new double[k.output().size()];
        forEachWindow(k, (output, p, rows, cols) -> {
            for (int r = rows[0]; r < rows[1]; r++) {
                for (int c = cols[0]; c < cols[1]; c++) {
                    y[output] += x[(p * s.h() + r) * s.w() + c];
                }
            }
            y[output] /= (rows[1] - rows[0]) * (cols[1] - cols[0]);
        });
        return y;
    }

    /** The oracle backward in double: each gradY shared equally by the elements of its window. */
    private static double[] unpool(Case k, double[] gy) {
        Shape s = k.input();
        double[] gx = new double[s.size()];
        forEachWindow(k, (output, p, rows, cols) -> {
            double share = gy[output] / ((rows[1] - rows[0]) * (cols[1] - cols[0]));
            for (int r = rows[0]; r < rows[1]; r++) {
                for (int c = cols[0]; c < cols[1]; c++) {
                    gx[(p * s.h() + r) * s.w() + c] += share;
                }
            }
        });
        return gx;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.AdaptiveAvgPoolConformance#cases")
    void forwardMatchesOracle(Case k) {
        Given x = given(k.input());
        Tensor y = poisoned(k.output());
        backend.adaptiveAvgPool2dForward(x.tensor(), y);
        // The windows of these cases hold at most 9 elements, far below forSumOf's 256.
        Closeness.assertClose("adaptiveAvgPool2dForward " + k, read(y), pool(k, x.doubles()), tolerances().forward());
    }

    /** Windows of one element copy it: 7x7 -> 7x7 is the identity, 1x1 -> 7x7 spreads each value. */
    @Test
    void windowsOfOneElementCopyExactly() {
        Given x = given(Shape.nchw(2, 3, 7, 7));
        Tensor y = poisoned(x.tensor().shape());
        backend.adaptiveAvgPool2dForward(x.tensor(), y);
        Closeness.assertSame("7x7 -> 7x7 identity", read(y), x.values());

        Given single = given(Shape.nchw(2, 3, 1, 1));
        Tensor spread = poisoned(Shape.nchw(2, 3, 7, 7));
        backend.adaptiveAvgPool2dForward(single.tensor(), spread);
        float[] expected = new float[6 * 49];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = single.values()[i / 49];
        }
        Closeness.assertSame("1x1 -> 7x7 spread", read(spread), expected);
    }

    /**
     * 3x3 -> 2x2 worked by hand from PyTorch's definition: rows and columns {0, 1} and {1, 2}, so the
     * middle row and column are in two windows; the backward gives the centre four shares.
     */
    @Test
    void overlappingWindowsByHand() {
        Shape s = Shape.nchw(1, 1, 3, 3);
        Tensor x = backend.upload(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, s);
        Tensor y = poisoned(Shape.nchw(1, 1, 2, 2));
        backend.adaptiveAvgPool2dForward(x, y);
        Closeness.assertSame("3x3 -> 2x2", read(y), new float[] {2, 3, 5, 6});

        Tensor gy = backend.upload(new float[] {4, 8, 12, 16}, y.shape());
        Tensor gx = poisoned(s);
        backend.adaptiveAvgPool2dBackward(gy, gx);
        Closeness.assertSame("3x3 <- 2x2", read(gx), new float[] {1, 3, 2, 4, 10, 6, 3, 7, 4});
    }

    /** gradX is poisoned first, so an element left unwritten (or accumulated into) fails. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.AdaptiveAvgPoolConformance#cases")
    void backwardMatchesOracle(Case k) {
        Given gy = given(k.output());
        Tensor gx = poisoned(k.input());
        backend.adaptiveAvgPool2dBackward(gy.tensor(), gx);
        // An input element here takes shares of at most 49 outputs (1x1 -> 7x7).
        Closeness.assertClose("adaptiveAvgPool2dBackward " + k, read(gx), unpool(k, gy.doubles()), tolerances().forward());
    }

    /** L = sum(R * pool(x)) differentiated numerically through the oracle forward. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.AdaptiveAvgPoolConformance#gradientCases")
    void backwardMatchesNumericalGradient(Case k) {
        Given x = given(k.input());
        Given r = given(k.output());
        Tensor gx = poisoned(k.input());
        backend.adaptiveAvgPool2dBackward(r.tensor(), gx);

        double[] rd = r.doubles();
        double[] xd = x.doubles();
        int[] at = NumericalGradient.sample(xd.length, 200, random);
        double[] numerical = NumericalGradient.at(v -> NumericalGradient.project(pool(k, v), rd), xd, at);
        Closeness.assertClose("adaptiveAvgPool2dBackward vs numerical " + k, NumericalGradient.pick(read(gx), at),
                numerical, tolerances().gradient());
    }

    static List<Case> gradientCases() {
        return List.of(new Case(Shape.nchw(1, 3, 5, 5), 3, 3), new Case(Shape.nchw(2, 3, 2, 2), 7, 7),
                new Case(Shape.nchw(1, 5, 14, 14), 7, 7), new Case(Shape.nchw(2, 5, 6, 4), 4, 3));
    }

    @Test
    void rejectsMismatchedShapes() {
        Tensor x = given(Shape.nchw(2, 3, 5, 5)).tensor();
        Tensor otherChannels = poisoned(Shape.nchw(2, 4, 7, 7));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.adaptiveAvgPool2dForward(x, otherChannels)),
                "adaptiveAvgPool2dForward", x.shape(), otherChannels.shape());
        Tensor otherBatch = poisoned(Shape.nchw(1, 3, 7, 7));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.adaptiveAvgPool2dForward(x, otherBatch)),
                "adaptiveAvgPool2dForward", x.shape(), otherBatch.shape());
        Tensor matrix = poisoned(Shape.matrix(6, 49));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.adaptiveAvgPool2dForward(x, matrix)),
                "adaptiveAvgPool2dForward", x.shape(), matrix.shape());

        Tensor gy = given(Shape.nchw(2, 3, 7, 7)).tensor();
        Tensor gx = poisoned(Shape.nchw(2, 5, 5, 5));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.adaptiveAvgPool2dBackward(gy, gx)),
                "adaptiveAvgPool2dBackward", gy.shape(), gx.shape());
        Tensor flat = poisoned(Shape.of(150));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.adaptiveAvgPool2dBackward(gy, flat)),
                "adaptiveAvgPool2dBackward", gy.shape(), flat.shape());
    }
}
