package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * conv2d forward and both backward ops against {@link ConvOracle} for every VGG16 layer at 32x32
 * and 50x50 plus awkward shapes, and against central differences on small shapes; the fused
 * conv2d + ReLU forward against the oracle through {@code max(y, 0)}.
 */
public abstract class ConvConformance extends OpConformance {

    protected ConvConformance(BackendConformance kit) {
        super(kit);
    }

    static List<ConvCase> shapes() {
        return VggShapes.allConvs();
    }

    /** Small enough to differentiate numerically in double: padding, stride 2, odd sizes, a 1x1 kernel. */
    static List<ConvCase> smallShapes() {
        return List.of(
                new ConvCase(2, 3, 5, 5, 4, 3, 1, 1),
                new ConvCase(1, 2, 7, 6, 3, 3, 2, 1),
                new ConvCase(2, 5, 3, 3, 3, 1, 1, 0),
                new ConvCase(1, 3, 4, 4, 2, 3, 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.ConvConformance#shapes")
    void forwardMatchesOracle(ConvCase cc) {
        Given x = given(cc.input());
        Given w = given(cc.weight());
        Given b = given(Shape.of(cc.f()));
        Tensor y = poisoned(cc.output());

        backend.conv2dForward(x.tensor(), w.tensor(), b.tensor(), cc.spec(), y);

        double[] expected = ConvOracle.forward(cc, x.doubles(), w.doubles(), b.doubles());
        Closeness.assertClose("conv2dForward " + cc, read(y), expected, tolerances().forSumOf(cc.taps()));
    }

    @Test
    void forwardWithoutBias() {
        ConvCase cc = new ConvCase(2, 5, 7, 7, 6, 3, 1, 1);
        Given x = given(cc.input());
        Given w = given(cc.weight());
        Tensor y = poisoned(cc.output());

        backend.conv2dForward(x.tensor(), w.tensor(), null, cc.spec(), y);

        double[] expected = ConvOracle.forward(cc, x.doubles(), w.doubles(), null);
        Closeness.assertClose("conv2dForward without bias", read(y), expected, tolerances().forSumOf(cc.taps()));
    }

    /**
     * The fused convolution + ReLU of the inference path: VGG16's layers at 32x32, the awkward
     * shapes, and batches of several images with small maps (where a backend groups images).
     */
    static List<ConvCase> reluShapes() {
        List<ConvCase> cases = new ArrayList<>(VggShapes.vgg16Convs(32, 1));
        cases.addAll(VggShapes.awkwardConvs());
        cases.add(new ConvCase(3, 8, 6, 6, 12, 3, 1, 1));
        cases.add(new ConvCase(3, 24, 7, 7, 20, 3, 1, 1));
        cases.add(new ConvCase(1, 16, 25, 25, 16, 3, 1, 1));
        cases.add(new ConvCase(5, 32, 2, 2, 16, 3, 1, 1));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.ConvConformance#reluShapes")
    void reluForwardMatchesOracle(ConvCase cc) {
        Given x = given(cc.input());
        Given w = given(cc.weight());
        Given b = given(Shape.of(cc.f()));
        Tensor y = poisoned(cc.output());

        backend.conv2dReluForward(x.tensor(), w.tensor(), b.tensor(), cc.spec(), y);

        double[] expected = relu(ConvOracle.forward(cc, x.doubles(), w.doubles(), b.doubles()));
        Closeness.assertClose("conv2dReluForward " + cc, read(y), expected, tolerances().forSumOf(cc.taps()));
    }

    @Test
    void reluForwardWithoutBiasKeepsNegativeOutputsAtZero() {
        ConvCase cc = new ConvCase(2, 5, 7, 7, 6, 3, 1, 1);
        Given x = given(cc.input());
        Given w = given(cc.weight());
        Tensor y = poisoned(cc.output());

        backend.conv2dReluForward(x.tensor(), w.tensor(), null, cc.spec(), y);

        double[] preActivation = ConvOracle.forward(cc, x.doubles(), w.doubles(), null);
        float[] actual = read(y);
        Closeness.assertClose("conv2dReluForward without bias", actual, relu(preActivation),
                tolerances().forSumOf(cc.taps()));
        int zeros = 0;
        for (int i = 0; i < actual.length; i++) {
            // Clearly negative (beyond float32 rounding of the sum) must give 0, not a small negative.
            if (preActivation[i] < -1e-3) {
                assertEquals(0f, actual[i], 0f, "a negative pre-activation at " + i + " must give 0");
                zeros++;
            }
        }
        assertTrue(zeros > actual.length / 4, "random inputs give many negative pre-activations, got " + zeros);
    }

    @Test
    void reluForwardRejectsWrongOutputSizeNamingItself() {
        Tensor x = given(Shape.nchw(1, 3, 8, 8)).tensor();
        Tensor w = given(Shape.nchw(4, 3, 3, 3)).tensor();
        Tensor y = poisoned(Shape.nchw(1, 4, 6, 6));
        ShapeException e = assertThrows(ShapeException.class,
                () -> backend.conv2dReluForward(x, w, null, Conv2dSpec.VGG, y));
        ShapeMessages.assertNames(e, "conv2dReluForward", x.shape(), y.shape());
    }

    private static double[] relu(double[] y) {
        double[] r = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            r[i] = Math.max(y[i], 0.0);
        }
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.ConvConformance#shapes")
    void backwardInputMatchesOracle(ConvCase cc) {
        Given gy = given(cc.output());
        Given w = given(cc.weight());
        Tensor gx = poisoned(cc.input());

        backend.conv2dBackwardInput(gy.tensor(), w.tensor(), cc.spec(), gx);

        double[] expected = ConvOracle.backwardInput(cc, gy.doubles(), w.doubles());
        Closeness.assertClose("conv2dBackwardInput " + cc, read(gx), expected,
                tolerances().forSumOf((long) cc.f() * cc.k() * cc.k()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.ConvConformance#shapes")
    void backwardWeightMatchesOracle(ConvCase cc) {
        Given x = given(cc.input());
        Given gy = given(cc.output());
        Tensor gw = poisoned(cc.weight());
        Tensor gb = poisoned(Shape.of(cc.f()));

        backend.conv2dBackwardWeight(x.tensor(), gy.tensor(), cc.spec(), gw, gb);

        long positions = (long) cc.output().size() / cc.f();
        Closeness.assertClose("conv2dBackwardWeight weight " + cc, read(gw),
                ConvOracle.backwardWeight(cc, x.doubles(), gy.doubles()), tolerances().forSumOf(positions));
        Closeness.assertClose("conv2dBackwardWeight bias " + cc, read(gb),
                ConvOracle.backwardBias(cc, gy.doubles()), tolerances().forSumOf(positions));
    }

    @Test
    void backwardWeightSkipsNullBias() {
        ConvCase cc = new ConvCase(1, 3, 6, 6, 4, 3, 1, 1);
        Given x = given(cc.input());
        Given gy = given(cc.output());
        Tensor gw = poisoned(cc.weight());

        backend.conv2dBackwardWeight(x.tensor(), gy.tensor(), cc.spec(), gw, null);

        Closeness.assertClose("conv2dBackwardWeight without bias", read(gw),
                ConvOracle.backwardWeight(cc, x.doubles(), gy.doubles()), tolerances().forSumOf(36));
    }

    /** Loss L = sum(R * conv(x, w, b)); the backend's backward ops with gradY = R must be dL/dx, dL/dw, dL/db. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.ConvConformance#smallShapes")
    void backwardMatchesNumericalGradient(ConvCase cc) {
        Given x = given(cc.input());
        Given w = given(cc.weight());
        Given b = given(Shape.of(cc.f()));
        Given r = given(cc.output());
        Tensor gx = poisoned(cc.input());
        Tensor gw = poisoned(cc.weight());
        Tensor gb = poisoned(Shape.of(cc.f()));

        backend.conv2dBackwardInput(r.tensor(), w.tensor(), cc.spec(), gx);
        backend.conv2dBackwardWeight(x.tensor(), r.tensor(), cc.spec(), gw, gb);

        double[] xd = x.doubles();
        double[] wd = w.doubles();
        double[] bd = b.doubles();
        double[] rd = r.doubles();
        int[] xi = NumericalGradient.sample(xd.length, 40, random);
        int[] wi = NumericalGradient.sample(wd.length, 40, random);
        int[] bi = NumericalGradient.sample(bd.length, 40, random);
        double tol = tolerances().gradient();
        Closeness.assertClose("conv2dBackwardInput vs numerical " + cc, NumericalGradient.pick(read(gx), xi),
                NumericalGradient.at(v -> NumericalGradient.project(ConvOracle.forward(cc, v, wd, bd), rd), xd, xi), tol);
        Closeness.assertClose("conv2dBackwardWeight vs numerical " + cc, NumericalGradient.pick(read(gw), wi),
                NumericalGradient.at(v -> NumericalGradient.project(ConvOracle.forward(cc, xd, v, bd), rd), wd, wi), tol);
        Closeness.assertClose("conv2dBackwardWeight bias vs numerical " + cc, NumericalGradient.pick(read(gb), bi),
                NumericalGradient.at(v -> NumericalGradient.project(ConvOracle.forward(cc, xd, wd, v), rd), bd, bi), tol);
    }

    @Test
    void rejectsChannelMismatch() {
        Tensor x = given(Shape.nchw(1, 3, 8, 8)).tensor();
        Tensor w = given(Shape.nchw(4, 5, 3, 3)).tensor();
        Tensor y = poisoned(Shape.nchw(1, 4, 8, 8));
        ShapeException e = assertThrows(ShapeException.class,
                () -> backend.conv2dForward(x, w, null, Conv2dSpec.VGG, y));
        ShapeMessages.assertNames(e, "conv2dForward", x.shape(), w.shape());
    }

    @Test
    void rejectsWrongOutputSize() {
        Tensor x = given(Shape.nchw(1, 3, 8, 8)).tensor();
        Tensor w = given(Shape.nchw(4, 3, 3, 3)).tensor();
        Tensor y = poisoned(Shape.nchw(1, 4, 6, 6));
        ShapeException e = assertThrows(ShapeException.class,
                () -> backend.conv2dForward(x, w, null, Conv2dSpec.VGG, y));
        ShapeMessages.assertNames(e, "conv2dForward", x.shape(), y.shape());
    }

    @Test
    void rejectsWrongBiasLength() {
        Tensor x = given(Shape.nchw(1, 3, 8, 8)).tensor();
        Tensor w = given(Shape.nchw(4, 3, 3, 3)).tensor();
        Tensor b = given(Shape.of(3)).tensor();
        Tensor y = poisoned(Shape.nchw(1, 4, 8, 8));
        ShapeException e = assertThrows(ShapeException.class,
                () -> backend.conv2dForward(x, w, b, Conv2dSpec.VGG, y));
        ShapeMessages.assertNames(e, "conv2dForward", b.shape(), Shape.of(4));
    }

    @Test
    void backwardOpsRejectMismatchedGradients() {
        Tensor w = given(Shape.nchw(4, 3, 3, 3)).tensor();
        Tensor gy = given(Shape.nchw(2, 4, 8, 8)).tensor();
        Tensor gx = poisoned(Shape.nchw(2, 3, 7, 8));
        ShapeException inputError = assertThrows(ShapeException.class,
                () -> backend.conv2dBackwardInput(gy, w, Conv2dSpec.VGG, gx));
        ShapeMessages.assertNames(inputError, "conv2dBackwardInput", gx.shape(), gy.shape());

        Tensor x = given(Shape.nchw(2, 3, 8, 8)).tensor();
        Tensor gw = poisoned(Shape.nchw(4, 2, 3, 3));
        ShapeException weightError = assertThrows(ShapeException.class,
                () -> backend.conv2dBackwardWeight(x, gy, Conv2dSpec.VGG, gw, null));
        ShapeMessages.assertNames(weightError, "conv2dBackwardWeight", x.shape(), gw.shape());
    }
}
