package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cpu adaptive average pool on VGG-sized batches, which split into many parallel tasks (the
 * kit's shapes fit in one or two): the same bits for 1, 2 and 3 threads, and the reference's values.
 */
class CpuAdaptiveAvgPoolTest {

    @ParameterizedTest(name = "[{0}, {1}, {2}, {2}] -> {3}x{3}")
    @CsvSource({"16, 512, 1, 7", "8, 512, 3, 7", "4, 512, 14, 7", "8, 129, 5, 3"})
    void sameBitsForEveryThreadCountAndTheReferencesValues(int n, int c, int size, int out) {
        Shape in = Shape.nchw(n, c, size, size);
        Shape pooled = Shape.nchw(n, c, out, out);
        SplittableRandom rnd = new SplittableRandom(size * 31L + out);
        float[] x = new float[in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        float[] gy = new float[pooled.size()];
        for (int i = 0; i < gy.length; i++) {
            gy[i] = (float) rnd.nextDouble(-1, 1);
        }

        float[][] reference = run("reference", 1, x, in, gy, pooled);
        float[][] oneThread = run("cpu", 1, x, in, gy, pooled);
        for (int threads : new int[] {2, 3}) {
            float[][] parallel = run("cpu", threads, x, in, gy, pooled);
            assertArrayEquals(oneThread[0], parallel[0], "forward, " + threads + " threads");
            assertArrayEquals(oneThread[1], parallel[1], "backward, " + threads + " threads");
        }
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < reference[k].length; i++) {
                assertEquals(reference[k][i], oneThread[k][i], 1e-5 * Math.max(1, Math.abs(reference[k][i])),
                        (k == 0 ? "forward[" : "backward[") + i + "]");
            }
        }
    }

    /** y = pool(x) and gradX = pool'(gy) on a fresh backend. */
    private static float[][] run(String backendName, int threads, float[] x, Shape in, float[] gy, Shape pooled) {
        try (Backend backend = Backends.create(backendName, BackendOptions.defaults().withThreads(threads))) {
            Tensor y = backend.allocate(pooled);
            Tensor gx = backend.allocate(in);
            backend.adaptiveAvgPool2dForward(backend.upload(x, in), y);
            backend.adaptiveAvgPool2dBackward(backend.upload(gy, pooled), gx);
            return new float[][] {backend.download(y), backend.download(gx)};
        }
    }
}
