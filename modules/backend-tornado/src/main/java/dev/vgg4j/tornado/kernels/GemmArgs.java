package dev.vgg4j.tornado.kernels;

/**
 * {@link GemmKernel#gemm}'s parameters: for every batch entry z, {@code C_z[M, N] = alpha * A_z[M, K]
 * * B_z[K, N] + beta * C_z (+ bias[row])}. With {@code kSlice > 0} batch entry z sums only k in
 * [z*kSlice, (z+1)*kSlice) (split K: A's and B's batch strides are then 0). C is not read when beta
 * is 0; {@code bias} is a heap offset or -1. With an active {@code window} B is a convolution's
 * column matrix gathered from the tensor that operand {@code b} points at (implicit GEMM, see
 * {@link ConvWindow}); otherwise B is the strided operand {@code b}.
 */
public record GemmArgs(int m, int n, int k, Operand a, Operand b, Operand c, float alpha, float beta, int bias,
                       int kSlice, ConvWindow window) implements LaunchArgs {
    public static final int M = 0;
    public static final int N = 1;
    public static final int K = 2;
    /** First slot of operand A; the operand's fields follow as named by {@link Operand}. */
    public static final int A = 3;
    public static final int B = A + Operand.WIDTH;
    public static final int C = B + Operand.WIDTH;
    /** 1 when beta is not 0, so C is read. */
    public static final int READ_C = C + Operand.WIDTH;
    public static final int BIAS = READ_C + 1;
    public static final int K_SLICE = BIAS + 1;
    /** First slot of B's window; its fields follow as named by {@link ConvWindow}. */
    public static final int WINDOW = K_SLICE + 1;
    private static final int INTS = WINDOW + ConvWindow.WIDTH;

    public static final int ALPHA = 0;
    public static final int BETA = 1;

    /** A GEMM of strided operands. */
    public GemmArgs(int m, int n, int k, Operand a, Operand b, Operand c, float alpha, float beta, int bias, int kSlice) {
        this(m, n, k, a, b, c, alpha, beta, bias, kSlice, ConvWindow.NO_WINDOW);
    }

    /** An implicit GEMM: B is {@code window} over the tensor at heap offset {@code source}. */
    public static GemmArgs implicit(int m, int n, int k, Operand a, int source, ConvWindow window, Operand c,
                                    float beta, int bias) {
        return new GemmArgs(m, n, k, a, Operand.of(source, 0, 0), c, 1f, beta, bias, 0, window);
    }

    /** The same GEMM with K cut into slices of {@code length}, each batch entry writing its own partial C. */
    public GemmArgs slicedInto(Operand partials, int length) {
        return new GemmArgs(m, n, k, a, b, partials, alpha, 0f, -1, length, window);
    }

    @Override
    public int[] ints() {
        int[] ip = new int[INTS];
        ip[M] = m;
        ip[N] = n;
        ip[K] = k;
        a.writeTo(ip, A);
        b.writeTo(ip, B);
        c.writeTo(ip, C);
        ip[READ_C] = beta == 0f ? 0 : 1;
        ip[BIAS] = bias;
        ip[K_SLICE] = kSlice;
        window.writeTo(ip, WINDOW);
        return ip;
    }

    @Override
    public float[] floats() {
        float[] fp = new float[2];
        fp[ALPHA] = alpha;
        fp[BETA] = beta;
        return fp;
    }

    /**
     * {@link GemmKernel#sumSlices}'s parameters: C(r, c) = sum over s of partials[s][r, c] (+ beta *
     * C(r, c)) (+ bias[r]), for C [M, N] as {@code c} names it (image columns included, column stride
     * 1); {@code count} = M*N; {@code bias} is a heap offset or -1.
     */
    public record SumSlices(int count, int partials, int slices, Operand c, int n, float beta, int bias)
            implements LaunchArgs.Elementwise {
        public static final int PARTIALS = 1;
        public static final int SLICES = 2;
        /** First slot of C; the operand's fields follow as named by {@link Operand}. */
        public static final int C = 3;
        public static final int N = C + Operand.WIDTH;
        public static final int READ_C = N + 1;
        public static final int BIAS = READ_C + 1;
        public static final int BETA = 0;

        @Override
        public int[] ints() {
            int[] ip = new int[BIAS + 1];
            ip[COUNT] = count;
            ip[PARTIALS] = partials;
            ip[SLICES] = slices;
            c.writeTo(ip, C);
            ip[N] = n;
            ip[READ_C] = beta == 0f ? 0 : 1;
            ip[BIAS] = bias;
            return ip;
        }

        @Override
        public float[] floats() {
            return new float[] {beta};
        }
    }
}
