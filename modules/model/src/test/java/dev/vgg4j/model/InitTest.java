package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.spi.Backend;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PyTorch's default init: U(±1/sqrt(fan_in)) for Conv2d/Linear weight and bias, BN 1 and 0, from a seed. */
class InitTest {
    private final Backend backend = ReferenceBackend.create();

    @AfterEach
    void close() {
        backend.close();
    }

    /** Asserts the values lie in [-bound, bound] and have U(-b, b)'s mean 0 and variance b^2/3. */
    private static void assertUniform(float[] v, double bound) {
        double sum = 0;
        double sq = 0;
        for (float f : v) {
            assertTrue(Math.abs(f) <= bound, () -> f + " outside ±" + bound);
            sum += f;
            sq += (double) f * f;
        }
        double mean = sum / v.length;
        double var = sq / v.length - mean * mean;
        // Standard error of the mean is b/sqrt(3n); 5 of them is far beyond chance.
        assertEquals(0, mean, 5 * bound / Math.sqrt(3.0 * v.length), "mean");
        assertEquals(bound * bound / 3, var, 0.05 * bound * bound / 3, "variance");
        assertTrue(Arrays.stream(toDouble(v)).max().orElseThrow() > 0.95 * bound, "the range is used up to the bound");
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void convWeightsFollowKaimingUniformWithASqrt5() {
        try (Conv2d conv = new Conv2d(backend, "features.3", 64, 64, 42L)) {
            double bound = 1 / Math.sqrt(64 * 9);
            assertUniform(backend.download(conv.parameters().get(0).value()), bound);
            float[] bias = backend.download(conv.parameters().get(1).value());
            for (float b : bias) {
                assertTrue(Math.abs(b) <= bound);
            }
            assertTrue(Arrays.stream(toDouble(bias)).distinct().count() > 60, "bias values differ");
        }
    }

    @Test
    void linearWeightsFollowKaimingUniformWithASqrt5() {
        try (Linear linear = new Linear(backend, "classifier.0", 512, 64, 42L)) {
            assertUniform(backend.download(linear.parameters().get(0).value()), 1 / Math.sqrt(512));
        }
    }

    @Test
    void batchNormStartsAtIdentity() {
        try (BatchNorm2d bn = new BatchNorm2d(backend, "features.1", 5)) {
            assertArrayEquals(new float[] {1, 1, 1, 1, 1}, backend.download(bn.parameters().get(0).value()));
            assertArrayEquals(new float[5], backend.download(bn.parameters().get(1).value()));
            assertArrayEquals(new float[5], bn.buffers().get(0).save().floats());
            assertArrayEquals(new float[] {1, 1, 1, 1, 1}, bn.buffers().get(1).save().floats());
            assertEquals(0, bn.numBatchesTracked());
        }
    }

    @Test
    void theSameSeedGivesTheSameModelAndAnotherSeedAnother() {
        VggConfig c = VggConfig.named("vgg11_bn").withWidth(1.0 / 32);
        try (Vgg a = Vgg.create(backend, c); Vgg b = Vgg.create(backend, c); Vgg d = Vgg.create(backend, c.withSeed(1))) {
            for (int i = 0; i < a.parameters().size(); i++) {
                float[] va = backend.download(a.parameters().get(i).value());
                assertArrayEquals(va, backend.download(b.parameters().get(i).value()), a.parameters().get(i).name());
                if (a.parameters().get(i).name().startsWith("classifier")) {
                    assertFalse(Arrays.equals(va, backend.download(d.parameters().get(i).value())),
                            a.parameters().get(i).name());
                }
            }
        }
    }

    @Test
    void layersWithTheSameShapeButDifferentNamesDiffer() {
        try (Conv2d a = new Conv2d(backend, "features.3", 8, 8, 7L); Conv2d b = new Conv2d(backend, "features.5", 8, 8, 7L)) {
            assertFalse(Arrays.equals(backend.download(a.parameters().get(0).value()),
                    backend.download(b.parameters().get(0).value())));
        }
    }
}
