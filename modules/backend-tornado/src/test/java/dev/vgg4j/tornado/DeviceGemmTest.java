package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.tck.Closeness;
import dev.vgg4j.tck.GemmOracle;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GEMM paths the conformance kit's sizes do not reach: K split into slices with beta accumulating
 * (every transpose), and a C of several 64 x 128 blocks with ragged edges on both sides.
 */
class DeviceGemmTest {
    private static TornadoBackend backend;

    @BeforeAll
    static void tornadoPresent() {
        DeviceFixture.assumeTornado();
        backend = DeviceFixture.backend(256);
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest(name = "transA={0} transB={1} M={2} N={3} K={4}")
    @CsvSource({
        // one output block, K = 5000: split into slices, then C = sum + beta * C
        "false, false, 37, 45, 5000", "true, false, 37, 45, 5000", "false, true, 37, 45, 5000", "true, true, 37, 45, 5000",
        // 3 x 2 blocks of 64 x 128 with ragged last rows and columns, no split
        "false, false, 150, 150, 33", "true, true, 150, 150, 33"})
    void matchesFloat64Oracle(boolean transA, boolean transB, int m, int n, int k) {
        SplittableRandom random = new SplittableRandom(m * 31L + n * 7L + k);
        float[] a = values(random, m * k);
        float[] b = values(random, k * n);
        float[] c = values(random, m * n);
        float alpha = -1.5f;
        float beta = 0.75f;
        try (Tensor at = backend.upload(a, transA ? Shape.matrix(k, m) : Shape.matrix(m, k));
             Tensor bt = backend.upload(b, transB ? Shape.matrix(n, k) : Shape.matrix(k, n));
             Tensor ct = backend.upload(c, Shape.matrix(m, n))) {
            backend.gemm(transA, transB, alpha, at, bt, beta, ct);
            double[] expected = GemmOracle.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
            Closeness.assertClose("gemm", backend.download(ct), expected, 1e-5 * Math.sqrt(k));
        }
    }

    private static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }
}
