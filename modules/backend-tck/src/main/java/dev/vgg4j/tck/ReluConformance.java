package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ReLU forward (also in place) and backward; both only select values, so they must be exact. */
public abstract class ReluConformance extends OpConformance {

    protected ReluConformance(BackendConformance kit) {
        super(kit);
    }

    static List<Shape> shapes() {
        return List.of(Shape.nchw(2, 64, 32, 32), Shape.nchw(1, 512, 3, 3), Shape.nchw(1, 7, 5, 5),
                Shape.matrix(3, 4096), Shape.of(1));
    }

    private static float[] relu(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : 0f;
        }
        return y;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.ReluConformance#shapes")
    void forwardIsExact(Shape s) {
        Given x = given(s);
        Tensor y = poisoned(s);
        backend.reluForward(x.tensor(), y);
        Closeness.assertSame("reluForward " + s, read(y), relu(x.values()));
    }

    @Test
    void forwardInPlace() {
        Given x = given(Shape.nchw(2, 5, 7, 7));
        backend.reluForward(x.tensor(), x.tensor());
        Closeness.assertSame("reluForward in place", read(x.tensor()), relu(x.values()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.ReluConformance#shapes")
    void backwardPassesGradientWhereOutputIsPositive(Shape s) {
        Given x = given(s);
        Given gy = given(s);
        Tensor y = poisoned(s);
        Tensor gx = poisoned(s);
        backend.reluForward(x.tensor(), y);
        backend.reluBackward(y, gy.tensor(), gx);
        float[] expected = new float[s.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = x.values()[i] > 0 ? gy.values()[i] : 0f;
        }
        Closeness.assertSame("reluBackward " + s, read(gx), expected);
    }

    @Test
    void backwardInPlaceOnGradY() {
        Given x = given(Shape.matrix(3, 33));
        Given gy = given(Shape.matrix(3, 33));
        Tensor y = poisoned(Shape.matrix(3, 33));
        backend.reluForward(x.tensor(), y);
        backend.reluBackward(y, gy.tensor(), gy.tensor());
        float[] expected = new float[99];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = x.values()[i] > 0 ? gy.values()[i] : 0f;
        }
        Closeness.assertSame("reluBackward in place", read(gy.tensor()), expected);
    }

    /** L = sum(R * relu(x)) with x away from the kink at 0. */
    @Test
    void backwardMatchesNumericalGradient() {
        Shape s = Shape.nchw(2, 3, 4, 5);
        Given x = given(separatedValues(s.size()), s);
        Given r = given(s);
        Tensor y = poisoned(s);
        Tensor gx = poisoned(s);
        backend.reluForward(x.tensor(), y);
        backend.reluBackward(y, r.tensor(), gx);

        double[] rd = r.doubles();
        double[] xd = x.doubles();
        double[] numerical = NumericalGradient.at(v -> {
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = Math.max(v[i], 0.0);
            }
            return NumericalGradient.project(out, rd);
        }, xd, NumericalGradient.sample(xd.length, xd.length, random));
        Closeness.assertClose("reluBackward vs numerical", read(gx), numerical, tolerances().gradient());
    }

    @Test
    void rejectsMismatchedShapes() {
        Tensor x = given(Shape.matrix(2, 3)).tensor();
        Tensor y = poisoned(Shape.matrix(3, 2));
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.reluForward(x, y)),
                "reluForward", x.shape(), y.shape());
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.reluBackward(x, y, x)),
                "reluBackward", x.shape(), y.shape());
    }
}
