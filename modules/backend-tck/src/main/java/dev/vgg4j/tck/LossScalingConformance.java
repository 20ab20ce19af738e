package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code unscaleAndCheckFinite}, GradScaler's unscale: exact for a power-of-two scale, the flag set
 * by an inf or a NaN anywhere (the tensor's first and last elements included) and kept across tensors.
 * Tensors that held an inf are zeroed before they are freed ({@link #scrubbed}), so that the groups
 * after this one never meet infinities in reused device memory.
 */
public abstract class LossScalingConformance extends OpConformance {
    /** Odd and larger than any vector width or work-group, so that tails are covered. */
    private static final Shape ODD = Shape.nchw(2, 5, 7, 13);

    protected LossScalingConformance(BackendConformance kit) {
        super(kit);
    }

    @Test
    void finiteGradientsAreUnscaledExactlyAndLeaveTheFlag() {
        Given grad = given(ODD);
        Tensor found = backend.upload(new float[] {0f}, Shape.of(1));
        backend.unscaleAndCheckFinite(grad.tensor(), 1f / 65536, found);
        float[] expected = new float[ODD.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = grad.values()[i] / 65536;
        }
        Closeness.assertSame("unscaleAndCheckFinite", read(grad.tensor()), expected);
        assertEquals(0f, read(found)[0], "no inf or NaN, the flag stays 0");
    }

    @Test
    void anInfOrNanAnywhereSetsTheFlag() {
        float[] bad = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        int[] at = {0, ODD.size() / 2, ODD.size() - 1};
        for (float value : bad) {
            for (int position : at) {
                float[] values = randomValues(ODD.size());
                values[position] = value;
                Tensor grad = backend.upload(values, ODD);
                Tensor found = backend.upload(new float[] {0f}, Shape.of(1));
                backend.unscaleAndCheckFinite(grad, 0.5f, found);
                assertEquals(1f, read(found)[0], value + " at " + position + " sets the flag");
                float[] out = read(grad);
                assertEquals(values[(position + 1) % values.length] * 0.5f, out[(position + 1) % values.length],
                        "the other elements are still unscaled");
                scrubbed(grad).close();
                found.close();
            }
        }
    }

    @Test
    void theFlagIsKeptAcrossTensors() {
        float[] values = randomValues(ODD.size());
        values[3] = Float.NaN;
        Tensor bad = backend.upload(values, ODD);
        Given good = given(ODD);
        Tensor found = backend.upload(new float[] {0f}, Shape.of(1));
        backend.unscaleAndCheckFinite(bad, 0.25f, found);
        backend.unscaleAndCheckFinite(good.tensor(), 0.25f, found);
        assertEquals(1f, read(found)[0], "a finite tensor after an infinite one does not clear the flag");
        scrubbed(bad).close();
    }

    /** {@code t} filled with zeros (see the class comment). */
    private Tensor scrubbed(Tensor t) {
        backend.fill(t, 0f);
        return t;
    }

    @Test
    void badArgumentsAreNamed() {
        Given grad = given(ODD);
        Tensor wide = backend.allocate(Shape.of(2));
        ShapeException shape = assertThrows(ShapeException.class,
                () -> backend.unscaleAndCheckFinite(grad.tensor(), 0.5f, wide));
        assertTrue(shape.getMessage().contains("foundInf"), shape.getMessage());
        Tensor found = backend.allocate(Shape.of(1), 0f);
        IllegalArgumentException scale = assertThrows(IllegalArgumentException.class,
                () -> backend.unscaleAndCheckFinite(grad.tensor(), Float.NaN, found));
        assertTrue(scale.getMessage().contains("invScale"), scale.getMessage());
    }
}
