package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inverted dropout. The mask must be exactly {@link CounterRng#keep} of (seed, element index, p), so
 * that every backend drops the same elements and can be compared step by step.
 */
public abstract class DropoutConformance extends OpConformance {

    protected DropoutConformance(BackendConformance kit) {
        super(kit);
    }

    @ParameterizedTest(name = "p={0} rows={1} cols={2}")
    @CsvSource({"0.5, 2, 4096", "0.5, 1, 512", "0.3, 3, 1001", "0.0, 2, 33", "0.9, 1, 777"})
    void maskIsCounterRngKeepScaledByOneOverOneMinusP(float p, int rows, int cols) {
        Shape s = Shape.matrix(rows, cols);
        long seed = random.nextLong();
        Given x = given(s);
        Tensor y = poisoned(s);
        Tensor mask = poisoned(s);

        backend.dropoutForward(x.tensor(), p, seed, y, mask);

        float[] m = read(mask);
        double[] expectedMask = new double[s.size()];
        double[] expectedY = new double[s.size()];
        for (int i = 0; i < s.size(); i++) {
            boolean keep = CounterRng.keep(seed, i, p);
            assertEquals(keep, m[i] != 0f, "element " + i + " kept");
            expectedMask[i] = keep ? 1.0 / (1.0 - p) : 0.0;
            expectedY[i] = x.values()[i] * expectedMask[i];
        }
        Closeness.assertClose("dropout mask", m, expectedMask, tolerances().forward());
        Closeness.assertClose("dropoutForward y", read(y), expectedY, tolerances().forward());
    }

    @Test
    void sameSeedSameMaskOtherSeedOtherMask() {
        Shape s = Shape.matrix(4, 256);
        Given x = given(s);
        Tensor y = poisoned(s);
        Tensor first = poisoned(s);
        Tensor again = poisoned(s);
        Tensor other = poisoned(s);
        backend.dropoutForward(x.tensor(), 0.5f, 17L, y, first);
        backend.dropoutForward(x.tensor(), 0.5f, 17L, y, again);
        backend.dropoutForward(x.tensor(), 0.5f, 18L, y, other);
        Closeness.assertSame("mask for the same seed", read(again), read(first));
        float[] a = read(first);
        float[] b = read(other);
        int differing = 0;
        for (int i = 0; i < a.length; i++) {
            differing += a[i] != b[i] ? 1 : 0;
        }
        int changed = differing;
        assertTrue(changed > a.length / 4, () -> "another seed changed only " + changed + " of " + a.length);
    }

    /** L = sum(R * x * mask): linear in x, so the numerical gradient is R * mask. */
    @Test
    void backwardMatchesNumericalGradient() {
        Shape s = Shape.matrix(3, 41);
        Given x = given(s);
        Given r = given(s);
        Tensor y = poisoned(s);
        Tensor mask = poisoned(s);
        Tensor gx = poisoned(s);
        backend.dropoutForward(x.tensor(), 0.4f, 99L, y, mask);
        backend.dropoutBackward(r.tensor(), mask, gx);

        double[] rd = r.doubles();
        double[] xd = x.doubles();
        double scale = 1.0 / (1.0 - 0.4f);
        double[] numerical = NumericalGradient.at(v -> {
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = CounterRng.keep(99L, i, 0.4f) ? v[i] * scale : 0.0;
            }
            return NumericalGradient.project(out, rd);
        }, xd, NumericalGradient.sample(xd.length, xd.length, random));
        Closeness.assertClose("dropoutBackward vs numerical", read(gx), numerical, tolerances().gradient());
    }

    @Test
    void rejectsBadProbabilityAndShapes() {
        Shape s = Shape.matrix(2, 8);
        Tensor x = given(s).tensor();
        Tensor y = poisoned(s);
        Tensor wrong = poisoned(Shape.matrix(2, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.dropoutForward(x, 1f, 1L, y, poisoned(s)));
        assertTrue(e.getMessage().contains("dropoutForward"), e.getMessage());
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.dropoutForward(x, 0.5f, 1L, y, wrong)),
                "dropoutForward", wrong.shape(), s);
        ShapeMessages.assertNames(assertThrows(ShapeException.class, () -> backend.dropoutBackward(x, wrong, y)),
                "dropoutBackward", wrong.shape(), s);
    }
}
