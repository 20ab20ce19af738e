package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** linearForward / linearBackward: VGG's classifier sizes and odd ones, with and without bias. */
public abstract class LinearConformance extends OpConformance {

    protected LinearConformance(BackendConformance kit) {
        super(kit);
    }

    /** N, in, out. */
    static List<Arguments> sizes() {
        return List.of(
                Arguments.of(2, 512, 4096),
                Arguments.of(1, 4096, 10),
                Arguments.of(3, 17, 10),
                Arguments.of(1, 1, 1),
                Arguments.of(5, 67, 129));
    }

    @ParameterizedTest(name = "N={0} in={1} out={2}")
    @MethodSource("dev.vgg4j.tck.LinearConformance#sizes")
    void forwardMatchesOracle(int n, int in, int out) {
        Given x = given(Shape.matrix(n, in));
        Given w = given(Shape.matrix(out, in));
        Given b = given(Shape.of(out));
        Tensor y = poisoned(Shape.matrix(n, out));
        Tensor yNoBias = poisoned(Shape.matrix(n, out));

        backend.linearForward(x.tensor(), w.tensor(), b.tensor(), y);
        backend.linearForward(x.tensor(), w.tensor(), null, yNoBias);

        double tol = tolerances().forSumOf(in);
        Closeness.assertClose("linearForward", read(y),
                LinearOracle.forward(n, in, out, x.doubles(), w.doubles(), b.doubles()), tol);
        Closeness.assertClose("linearForward without bias", read(yNoBias),
                LinearOracle.forward(n, in, out, x.doubles(), w.doubles(), null), tol);
    }

    @ParameterizedTest(name = "N={0} in={1} out={2}")
    @MethodSource("dev.vgg4j.tck.LinearConformance#sizes")
    void backwardMatchesOracle(int n, int in, int out) {
        Given x = given(Shape.matrix(n, in));
        Given w = given(Shape.matrix(out, in));
        Given gy = given(Shape.matrix(n, out));
        Tensor gx = poisoned(x.tensor().shape());
        Tensor gw = poisoned(w.tensor().shape());
        Tensor gb = poisoned(Shape.of(out));

        backend.linearBackward(x.tensor(), w.tensor(), gy.tensor(), gx, gw, gb);

        Closeness.assertClose("linearBackward gradX", read(gx),
                LinearOracle.gradInput(n, in, out, gy.doubles(), w.doubles()), tolerances().forSumOf(out));
        Closeness.assertClose("linearBackward gradWeight", read(gw),
                LinearOracle.gradWeight(n, in, out, gy.doubles(), x.doubles()), tolerances().forSumOf(n));
        Closeness.assertClose("linearBackward gradBias", read(gb),
                LinearOracle.gradBias(n, out, gy.doubles()), tolerances().forSumOf(n));
    }

    @Test
    void backwardSkipsNullGradInputAndBias() {
        int n = 4;
        int in = 9;
        int out = 6;
        Given x = given(Shape.matrix(n, in));
        Given w = given(Shape.matrix(out, in));
        Given gy = given(Shape.matrix(n, out));
        Tensor gw = poisoned(w.tensor().shape());

        backend.linearBackward(x.tensor(), w.tensor(), gy.tensor(), null, gw, null);

        Closeness.assertClose("linearBackward gradWeight alone", read(gw),
                LinearOracle.gradWeight(n, in, out, gy.doubles(), x.doubles()), tolerances().forward());
    }

    /** L = sum(R * linear(x, W, b)); linearBackward with gradY = R must give dL/dx, dL/dW, dL/db. */
    @Test
    void backwardMatchesNumericalGradient() {
        int n = 3;
        int in = 7;
        int out = 5;
        Given x = given(Shape.matrix(n, in));
        Given w = given(Shape.matrix(out, in));
        Given b = given(Shape.of(out));
        Given r = given(Shape.matrix(n, out));
        Tensor gx = poisoned(x.tensor().shape());
        Tensor gw = poisoned(w.tensor().shape());
        Tensor gb = poisoned(Shape.of(out));

        backend.linearBackward(x.tensor(), w.tensor(), r.tensor(), gx, gw, gb);

        double[] xd = x.doubles();
        double[] wd = w.doubles();
        double[] bd = b.doubles();
        double[] rd = r.doubles();
        double tol = tolerances().gradient();
        Closeness.assertClose("linearBackward gradX vs numerical", read(gx), NumericalGradient.at(
                v -> NumericalGradient.project(LinearOracle.forward(n, in, out, v, wd, bd), rd), xd, all(xd)), tol);
        Closeness.assertClose("linearBackward gradWeight vs numerical", read(gw), NumericalGradient.at(
                v -> NumericalGradient.project(LinearOracle.forward(n, in, out, xd, v, bd), rd), wd, all(wd)), tol);
        Closeness.assertClose("linearBackward gradBias vs numerical", read(gb), NumericalGradient.at(
                v -> NumericalGradient.project(LinearOracle.forward(n, in, out, xd, wd, v), rd), bd, all(bd)), tol);
    }

    private int[] all(double[] values) {
        return NumericalGradient.sample(values.length, values.length, random);
    }

    @Test
    void rejectsMismatchedShapes() {
        Tensor x = given(Shape.matrix(2, 8)).tensor();
        Tensor w = given(Shape.matrix(4, 9)).tensor();
        Tensor y = poisoned(Shape.matrix(2, 4));
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.linearForward(x, w, null, y)),
                "linearForward", x.shape(), w.shape());

        Tensor w8 = given(Shape.matrix(4, 8)).tensor();
        Tensor wrongY = poisoned(Shape.matrix(2, 5));
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.linearForward(x, w8, null, wrongY)),
                "linearForward", wrongY.shape(), y.shape());

        Tensor gy = given(Shape.matrix(3, 4)).tensor();
        Tensor gw = poisoned(w8.shape());
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.linearBackward(x, w8, gy, null, gw, null)), "linearBackward", gy.shape(), y.shape());
    }
}
