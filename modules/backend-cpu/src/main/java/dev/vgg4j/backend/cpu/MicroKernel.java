package dev.vgg4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked heart of {@link PackedGemm}: a {@code MR x NR} block of C, with
 * {@code MR = 4} rows and {@code NR = 2} vectors of {@code SPECIES_PREFERRED} (16 floats on AVX2,
 * 32 on AVX-512), is held in 8 independent accumulators while {@code kc} rank-1 updates stream
 * through: per step two vector loads of packed B, four broadcasts of packed A, eight FMAs.
 *
 * <p>Why 4 rows: AVX2 has 16 vector registers, and C2's scheduler issues all of a step's broadcasts
 * of A before their FMAs, each in its own register. With 6 rows (12 accumulators, 2 B vectors) or 5
 * (10 and 2), that is more than 16, and C2 keeps one accumulator on the stack: a store and a reload on
 * its FMA chain every step, which halves the speed of the whole kernel (read in the generated code).
 * Whether it did so for 6 rows changed from JVM to JVM, so 1024^3 at 2 threads was often no faster
 * than at 1. 4 rows need at most 8 + 2 + 4 = 14 registers, and 8 independent FMA chains still cover
 * the FMA latency (4 cycles, 2 a cycle).
 */
final class MicroKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int VL = SPECIES.length();
    static final int MR = 4;
    static final int NR = 2 * VL;

    private MicroKernel() {}

    /**
     * {@code tile[MR, NR] = Apanel * Bpanel}: Apanel is packed {@code [kc][MR]} from {@code pa[aOff]},
     * Bpanel {@code [kc][NR]} from {@code pb[bOff]}, both zero-padded. {@link #update} then adds the
     * tile into C.
     *
     * <p>The k loop is alone in this method, with no branch and no other loop, and the method is too
     * big for C2 to inline (over 325 bytes of bytecode, so the loops around it cannot affect it): C2 hoists the loop's bounds checks into
     * predicates before the loop, and a method in which a predicate once failed is recompiled without
     * them. The C update used to share this method, and its branches on beta and on partial tiles,
     * hoisted from a profile that had not seen them yet, did fail.
     */
    static void multiply(int kc, float[] pa, int aOff, float[] pb, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
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
    }

    /**
     * {@code C[0:mr, 0:nr] = alpha * tile + beta * C} (C not read when beta is 0), C row-major with
     * leading dimension {@code ldc} at {@code c[cOff]}, the tile {@code [MR, NR]} from {@link #multiply}.
     */
    static void update(float[] tile, float[] c, int cOff, int ldc, int mr, int nr, float alpha, float beta) {
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
