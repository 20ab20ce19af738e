package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** fill, copy, axpy, scale and sum. */
public abstract class ElementwiseConformance extends OpConformance {
    /** Odd, larger than any vector width, not a multiple of 8 or 16. */
    private static final Shape ODD = Shape.nchw(3, 7, 5, 11);

    protected ElementwiseConformance(BackendConformance kit) {
        super(kit);
    }

    @Test
    void fillWritesEveryElement() {
        Tensor t = poisoned(ODD);
        backend.fill(t, -0.375f);
        float[] expected = new float[ODD.size()];
        Arrays.fill(expected, -0.375f);
        Closeness.assertSame("fill", read(t), expected);
    }

    @Test
    void copyCopiesBetweenShapesOfTheSameSize() {
        Given src = given(ODD);
        Tensor dst = poisoned(Shape.matrix(21, 55));
        backend.copy(src.tensor(), dst);
        Closeness.assertSame("copy", read(dst), src.values());
    }

    @Test
    void axpyAddsAScaledTensor() {
        Given x = given(ODD);
        Given y = given(ODD);
        backend.axpy(-0.7f, x.tensor(), y.tensor());
        double[] expected = new double[ODD.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = y.values()[i] + -0.7 * x.values()[i];
        }
        Closeness.assertClose("axpy", read(y.tensor()), expected, tolerances().forward());
    }

    @Test
    void scaleMultipliesInPlace() {
        Given t = given(ODD);
        backend.scale(t.tensor(), 3.25f);
        double[] expected = new double[ODD.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = 3.25 * t.values()[i];
        }
        Closeness.assertClose("scale", read(t.tensor()), expected, tolerances().forward());
    }

    /** Random signs nearly cancel, so the error is measured against the sum of magnitudes. */
    @Test
    void sumOfALargeTensor() {
        int size = 512 * 25 * 25 + 3;
        Given t = given(Shape.of(size));
        Tensor out = poisoned(Shape.of(1));
        backend.sum(t.tensor(), out);
        double expected = 0.0;
        double magnitudes = 0.0;
        for (float v : t.values()) {
            expected += v;
            magnitudes += Math.abs(v);
        }
        double error = Math.abs(read(out)[0] - expected) / magnitudes;
        assertTrue(error <= tolerances().forward(),
                () -> "sum of " + size + " values: error " + error + " of the sum of magnitudes");
    }

    @Test
    void sumOfPositiveValues() {
        float[] values = randomValues(1001);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(values[i]) + 0.5f;
        }
        Tensor t = backend.upload(values, Shape.of(values.length));
        Tensor out = poisoned(Shape.of(1));
        backend.sum(t, out);
        double expected = 0.0;
        for (float v : values) {
            expected += v;
        }
        Closeness.assertClose("sum", read(out), new double[] {expected}, tolerances().forward());
    }

    @Test
    void sizeMismatchesAreRejected() {
        Tensor a = given(Shape.matrix(3, 4)).tensor();
        Tensor b = poisoned(Shape.matrix(4, 4));
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.copy(a, b)),
                "copy", a.shape(), b.shape());
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.axpy(1f, a, b)),
                "axpy", a.shape(), b.shape());
        Tensor out = poisoned(Shape.of(2));
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.sum(a, out)),
                "sum", out.shape(), Shape.of(1));
    }
}
