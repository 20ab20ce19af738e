package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code gemm} for every transpose combination, odd sizes, VGG classifier sizes and alpha/beta variants. */
public abstract class GemmConformance extends OpConformance {

    protected GemmConformance(BackendConformance kit) {
        super(kit);
    }

    /** M, N, K: degenerate, odd, prime-ish, and the shapes VGG's classifier and a conv-as-GEMM produce. */
    private static final int[][] SIZES = {
        {1, 1, 1}, {3, 17, 67}, {129, 67, 17}, {17, 129, 3}, {67, 3, 129}, {1, 37, 1}, {64, 1024, 27},
    };

    /** alpha, beta: plain, scaled with NaN in C (beta 0 must not read C), accumulate, mixed signs. */
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, 0f}, {1f, 1f}, {-1.5f, 0.75f}};

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int[] mnk : SIZES) {
            for (int t = 0; t < 4; t++) {
                float[] ab = ALPHA_BETA[(t + mnk[0]) % ALPHA_BETA.length];
                cases.add(Arguments.of(t / 2 == 1, t % 2 == 1, mnk[0], mnk[1], mnk[2], ab[0], ab[1]));
            }
        }
        for (float[] ab : ALPHA_BETA) {
            cases.add(Arguments.of(false, false, 5, 7, 9, ab[0], ab[1]));
        }
        // VGG classifier at batch 2: Linear(512, 4096) forward, its weight gradient, Linear(4096, 10) backward.
        cases.add(Arguments.of(false, true, 2, 4096, 512, 1f, 0f));
        cases.add(Arguments.of(true, false, 4096, 512, 2, 1f, 0f));
        cases.add(Arguments.of(false, false, 2, 4096, 10, 1f, 0f));
        return cases;
    }

    @ParameterizedTest(name = "transA={0} transB={1} M={2} N={3} K={4} alpha={5} beta={6}")
    @MethodSource("dev.vgg4j.tck.GemmConformance#cases")
    void matchesFloat64Oracle(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta) {
        Given a = given(transA ? Shape.matrix(k, m) : Shape.matrix(m, k));
        Given b = given(transB ? Shape.matrix(n, k) : Shape.matrix(k, n));
        float[] cBefore = randomValues(m * n);
        Tensor c = beta == 0f ? poisoned(Shape.matrix(m, n)) : backend.upload(cBefore, Shape.matrix(m, n));

        backend.gemm(transA, transB, alpha, a.tensor(), b.tensor(), beta, c);

        double[] expected = GemmOracle.gemm(transA, transB, m, n, k, alpha, a.values(), b.values(), beta, cBefore);
        Closeness.assertClose("gemm", read(c), expected, tolerances().forSumOf(k));
    }

    @Test
    void rejectsInnerDimensionMismatch() {
        Tensor a = given(Shape.matrix(3, 4)).tensor();
        Tensor b = given(Shape.matrix(5, 6)).tensor();
        Tensor c = poisoned(Shape.matrix(3, 6));
        ShapeException e = assertThrows(ShapeException.class, () -> backend.gemm(false, false, 1f, a, b, 0f, c));
        ShapeMessages.assertNames(e, "gemm", a.shape(), b.shape());
    }

    @Test
    void rejectsWrongOutputShapeForTransposes() {
        Tensor a = given(Shape.matrix(4, 3)).tensor();
        Tensor b = given(Shape.matrix(6, 4)).tensor();
        Tensor c = poisoned(Shape.matrix(6, 3));
        ShapeException e = assertThrows(ShapeException.class, () -> backend.gemm(true, true, 1f, a, b, 0f, c));
        ShapeMessages.assertNames(e, "gemm", c.shape(), a.shape());
    }

    @Test
    void rejectsNonMatrices() {
        Tensor a = given(Shape.of(2, 3, 4)).tensor();
        Tensor b = given(Shape.matrix(4, 2)).tensor();
        Tensor c = poisoned(Shape.matrix(2, 2));
        ShapeException e = assertThrows(ShapeException.class, () -> backend.gemm(false, false, 1f, a, b, 0f, c));
        ShapeMessages.assertNames(e, "gemm", a.shape());
    }
}
