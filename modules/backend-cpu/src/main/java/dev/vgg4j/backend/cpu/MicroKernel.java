package dev.vgg4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked heart of {@link PackedGemm}: a {@code MR x NR} block of C, with
 * {@code MR = 6} rows and {@code NR = 2} vectors of {@code SPECIES_PREFERRED} (16 floats on AVX2,
 * 32 on AVX-512), is held in 12 independent accumulators while {@code kc} rank-1 updates stream
 * through: per step two vector loads of packed B, six broadcasts of packed A, twelve FMAs.
 */
final class MicroKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int VL = SPECIES.length();
    static final int MR = 6;
    static final int NR = 2 * VL;

    private MicroKernel() {}

    /**
     * {@code C[0:mr, 0:nr] = alpha * Apanel * Bpanel + beta * C} (C not read when beta is 0).
     * Apanel is packed {@code [kc][MR]} from {@code pa[aOff]}, Bpanel {@code [kc][NR]} from
     * {@code pb[bOff]}, both zero-padded; C is row-major with leading dimension {@code ldc}.
     * Edge blocks ({@code mr < MR} or {@code nr < NR}) go through {@code tile [MR * NR]}.
     */
    static void multiply(int kc, float[] pa, int aOff, float[] pb, int bOff,
                         float[] c, int cOff, int ldc, int mr, int nr, float alpha, float beta, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bi + VL);
            FloatVector a = FloatVector.broadcast(SPECIES, pa[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, pa[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, pa[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, pa[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, pa[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, pa[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        if (mr == MR && nr == NR) {
            store(c00, c01, c, cOff, alpha, beta);
            store(c10, c11, c, cOff + ldc, alpha, beta);
            store(c20, c21, c, cOff + 2 * ldc, alpha, beta);
            store(c30, c31, c, cOff + 3 * ldc, alpha, beta);
            store(c40, c41, c, cOff + 4 * ldc, alpha, beta);
            store(c50, c51, c, cOff + 5 * ldc, alpha, beta);
            return;
        }
        store(c00, c01, tile, 0, alpha, 0f);
        store(c10, c11, tile, NR, alpha, 0f);
        store(c20, c21, tile, 2 * NR, alpha, 0f);
        store(c30, c31, tile, 3 * NR, alpha, 0f);
        store(c40, c41, tile, 4 * NR, alpha, 0f);
        store(c50, c51, tile, 5 * NR, alpha, 0f);
        for (int r = 0; r < mr; r++) {
            int row = cOff + r * ldc;
            for (int j = 0; j < nr; j++) {
                float v = tile[r * NR + j];
                c[row + j] = beta == 0f ? v : v + beta * c[row + j];
            }
        }
    }

    private static void store(FloatVector lo, FloatVector hi, float[] c, int off, float alpha, float beta) {
        if (beta == 0f) {
            lo.mul(alpha).intoArray(c, off);
            hi.mul(alpha).intoArray(c, off + VL);
        } else {
            lo.mul(alpha).add(FloatVector.fromArray(SPECIES, c, off).mul(beta)).intoArray(c, off);
            hi.mul(alpha).add(FloatVector.fromArray(SPECIES, c, off + VL).mul(beta)).intoArray(c, off + VL);
        }
    }
}
