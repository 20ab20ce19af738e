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
     * {@code tile [MR * NR]} is scratch for the accumulators.
     */
    static void multiply(int kc, float[] pa, int aOff, float[] pb, int bOff,
                         float[] c, int cOff, int ldc, int mr, int nr, float alpha, float beta, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            // Indices linear in p let C2 hoist the bounds checks out of the loop.
            int ai = aOff + p * MR;
            int bi = bOff + p * NR;
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
        // Accumulators go through the tile rather than into a helper method: a vector passed to a call
        // that C2 does not inline is boxed, and the box is allocated inside the k loop.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, VL);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + VL);
        if (nr == NR) {
            for (int r = 0; r < mr; r++) {
                storeRow(tile, r * NR, c, cOff + r * ldc, alpha, beta);
            }
        } else {
            for (int r = 0; r < mr; r++) {
                int row = cOff + r * ldc;
                for (int j = 0; j < nr; j++) {
                    float v = alpha * tile[r * NR + j];
                    c[row + j] = beta == 0f ? v : v + beta * c[row + j];
                }
            }
        }
    }

    /** {@code c[off : off+NR] = alpha * tile[t : t+NR] + beta * c[off : off+NR]}, C not read when beta is 0. */
    private static void storeRow(float[] tile, int t, float[] c, int off, float alpha, float beta) {
        for (int v = 0; v < NR; v += VL) {
            FloatVector acc = FloatVector.fromArray(SPECIES, tile, t + v).mul(alpha);
            if (beta != 0f) {
                acc = acc.add(FloatVector.fromArray(SPECIES, c, off + v).mul(beta));
            }
            acc.intoArray(c, off + v);
        }
    }
}
