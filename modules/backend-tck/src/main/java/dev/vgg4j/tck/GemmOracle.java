package dev.vgg4j.tck;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/** GEMM in float64 through Apache Commons Math, sharing no code with any backend. */
public final class GemmOracle {
    private GemmOracle() {}

    /** {@code alpha * op(A) * op(B) + beta * C} with A, B, C row-major; C is ignored when beta is 0. */
    public static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                float[] a, float[] b, double beta, float[] c) {
        RealMatrix opA = matrix(a, transA ? k : m, transA ? m : k);
        RealMatrix opB = matrix(b, transB ? n : k, transB ? k : n);
        if (transA) {
            opA = opA.transpose();
        }
        if (transB) {
            opB = opB.transpose();
        }
        RealMatrix product = opA.multiply(opB).scalarMultiply(alpha);
        if (beta != 0) {
            product = product.add(matrix(c, m, n).scalarMultiply(beta));
        }
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = product.getEntry(i, j);
            }
        }
        return out;
    }

    private static RealMatrix matrix(float[] values, int rows, int cols) {
        double[][] d = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d[i][j] = values[i * cols + j];
            }
        }
        return new Array2DRowRealMatrix(d, false);
    }
}
