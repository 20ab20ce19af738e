package dev.vgg4j.bench;

/** One GEMM to time: {@code C[m, n] = op(A)[m, k] * op(B)[k, n]}, named for the tables. */
public record GemmShape(String name, int m, int n, int k, boolean transA, boolean transB) {

    public double flops() {
        return 2.0 * m * n * k;
    }

    public String dims() {
        return m + "x" + n + "x" + k + (transA ? " A^T" : "") + (transB ? " B^T" : "");
    }
}
