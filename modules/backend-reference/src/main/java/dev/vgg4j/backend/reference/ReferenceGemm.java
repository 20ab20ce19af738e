package dev.vgg4j.backend.reference;

import dev.vgg4j.spi.HeapTensor;
import java.util.Arrays;

/** Naive GEMM for every transpose combination, one output row at a time, summed in double. */
final class ReferenceGemm {
    private ReferenceGemm() {}

    /** {@code C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C}; C is not read when beta is 0. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, HeapTensor a, HeapTensor b, float beta, HeapTensor c) {
        float[] ad = a.data();
        float[] bd = b.data();
        float[] cd = c.data();
        int ao = a.offset();
        int bo = b.offset();
        int co = c.offset();
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            Arrays.fill(row, 0.0);
            for (int p = 0; p < k; p++) {
                // op(A)[i, p]: A is [M, K], or [K, M] when transposed.
                double aip = ad[ao + (transA ? p * m + i : i * k + p)];
                for (int j = 0; j < n; j++) {
                    // op(B)[p, j]: B is [K, N], or [N, K] when transposed.
                    row[j] += aip * bd[bo + (transB ? j * k + p : p * n + j)];
                }
            }
            for (int j = 0; j < n; j++) {
                int at = co + i * n + j;
                double prior = beta == 0f ? 0.0 : (double) beta * cd[at];
                cd[at] = (float) (alpha * row[j] + prior);
            }
        }
    }
}
