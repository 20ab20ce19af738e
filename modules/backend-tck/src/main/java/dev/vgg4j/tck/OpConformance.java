package dev.vgg4j.tck;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What every group of the kit shares: a fresh backend per test, a random generator seeded from the
 * test's name, inputs uploaded from the host and outputs poisoned with NaN before each op.
 */
public abstract class OpConformance {
    private final BackendConformance kit;
    protected Backend backend;
    protected SplittableRandom random;

    protected OpConformance(BackendConformance kit) {
        this.kit = kit;
    }

    @BeforeEach
    void openBackend(TestInfo test) {
        backend = kit.createBackend();
        random = new SplittableRandom(test.getDisplayName().hashCode() * 31L
                + test.getTestMethod().map(m -> m.getName().hashCode()).orElse(0));
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    protected Tolerances tolerances() {
        return kit.tolerances();
    }

    /** A second backend of the same kind, closed after the test by the caller. */
    protected Backend anotherBackend() {
        return kit.createBackend();
    }

    /** Uniform in [-1, 1). */
    protected float[] randomValues(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    /**
     * Distinct values in (-1, 1), at least {@code 2/size} apart and never 0, in random order: inputs
     * for ops with kinks (ReLU, max-pool), so that a numerical derivative never straddles one.
     */
    protected float[] separatedValues(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) ((i + 0.5) / size * 2 - 1);
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    /** A random input of {@code shape}, on the host and on the backend. */
    protected Given given(Shape shape) {
        return given(randomValues(shape.size()), shape);
    }

    protected Given given(float[] values, Shape shape) {
        return new Given(values, backend.upload(values, shape));
    }

    /** An output tensor whose every element is NaN, so that an element the op does not write fails. */
    protected Tensor poisoned(Shape shape) {
        float[] nan = new float[shape.size()];
        Arrays.fill(nan, Float.NaN);
        return backend.upload(nan, shape);
    }

    protected float[] read(Tensor t) {
        return backend.download(t);
    }

    /** Host values and the tensor they were uploaded to. */
    public record Given(float[] values, Tensor tensor) {
        public double[] doubles() {
            return toDouble(values);
        }
    }

    public static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }
}
