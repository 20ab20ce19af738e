package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * The blocked GEMM against a double-precision triple loop, on sizes that cross every blocking edge:
 * partial MR/NR tiles, more than one KC depth block (so later blocks accumulate), more than one MC
 * row block and more than one NC column block, with 1 and 2 threads and all transposes; and, large
 * enough to be split over 2 threads, column stripes (A packed once for both), row stripes (B packed
 * once) and a shared A of a single panel (one thread packs nothing).
 */
class PackedGemmTest {

    static Stream<Arguments> cases() {
        int mr = MicroKernel.MR;
        int nr = MicroKernel.NR;
        int[][] sizes = {
            {1, 1, 1},
            {mr - 1, nr + 3, 5},
            {2 * mr + 1, 3 * nr - 1, PackedGemm.KC + 7},
            {PackedGemm.MC + mr + 2, 2 * nr + 1, 9},
            {3, PackedGemm.NC + nr + 5, 4},
            {37, 29, 0},
            {3 * mr + 1, 4 * nr + 3, 2 * PackedGemm.KC + 5},
            {PackedGemm.MC + mr + 3, nr + 5, PackedGemm.KC + 9},
            {mr - 1, 4 * nr + 1, 2000},
        };
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                for (int threads = 1; threads <= 2; threads++) {
                    b.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, threads));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} threads={5}")
    @MethodSource("cases")
    void matchesTripleLoop(int m, int n, int k, boolean transA, boolean transB, int threads) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c = random(rnd, m * n);
        float alpha = 0.75f;
        float beta = -0.5f;
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                expected[i * n + j] = alpha * s + beta * c[i * n + j];
            }
        }
        try (WorkerPool pool = new WorkerPool(threads)) {
            new PackedGemm(pool).multiply(transA, transB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
        }
        for (int i = 0; i < m * n; i++) {
            assertEquals(expected[i], c[i], 1e-5 * Math.max(1, Math.sqrt(k)), "C[" + i / n + ", " + i % n + "]");
        }
    }

    /** A packed by hand at {@link PackedGemm#packedIndex}; row stripes at 2 threads (M > N) then pack B once for both. */
    @ParameterizedTest(name = "m={0} n={1} k={2} transB={3} threads={4}")
    @MethodSource("packedACases")
    void prePackedAMatchesTripleLoop(int m, int n, int k, boolean transB, int threads) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c = new float[m * n];
        float[] packed = new float[3 + PackedGemm.packedSize(m, k)];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                packed[3 + PackedGemm.packedIndex(i, p, k)] = a[i * k + p];
            }
        }
        try (WorkerPool pool = new WorkerPool(threads)) {
            new PackedGemm(pool).multiplyPackedA(m, n, k, 1f, packed, 3, transB, b, 0, 0f, c, 0);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[i * k + p] * (transB ? b[j * k + p] : b[p * n + j]);
                }
                assertEquals(s, c[i * n + j], 1e-5 * Math.sqrt(k), "C[" + i + ", " + j + "]");
            }
        }
    }

    static Stream<Arguments> packedACases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] s : new int[][] {{PackedGemm.MC + 3, MicroKernel.NR + 5, PackedGemm.KC + 9}, {7, 3 * MicroKernel.NR, 5000}}) {
            for (int threads = 1; threads <= 2; threads++) {
                b.add(Arguments.of(s[0], s[1], s[2], false, threads));
                b.add(Arguments.of(s[0], s[1], s[2], true, threads));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "threads={0}")
    @MethodSource("threadCounts")
    void betaZeroIgnoresNaNInC(int threads) {
        int m = 2 * MicroKernel.MR + 1;
        int n = MicroKernel.NR + 1;
        int k = 3;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        java.util.Arrays.fill(a, 1f);
        java.util.Arrays.fill(b, 2f);
        float[] c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);
        try (WorkerPool pool = new WorkerPool(threads)) {
            new PackedGemm(pool).multiply(false, false, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
        }
        for (float v : c) {
            assertEquals(2f * k, v);
        }
    }

    static Stream<Integer> threadCounts() {
        return Stream.of(1, 2);
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }
}
