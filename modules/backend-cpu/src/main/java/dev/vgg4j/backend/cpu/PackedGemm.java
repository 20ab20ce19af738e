package dev.vgg4j.backend.cpu;

import static dev.vgg4j.backend.cpu.MicroKernel.MR;
import static dev.vgg4j.backend.cpu.MicroKernel.NR;
import static dev.vgg4j.backend.cpu.MicroKernel.SPECIES;
import static dev.vgg4j.backend.cpu.MicroKernel.VL;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;

/**
 * {@code C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C} on row-major float arrays, blocked as
 * in BLIS/GotoBLAS: a {@code KC x NC} block of B is packed into {@code NR}-wide panels (kept in L2,
 * one panel in L1), an {@code MC x KC} block of A into {@code MR}-tall panels, and the
 * {@link MicroKernel} sweeps the panels. Transposes are absorbed by the packing, so every
 * combination runs the same kernel. Threads split C into column (or row) stripes, one per thread;
 * the operand every stripe reads whole (A for column stripes, B for row stripes) is packed once for
 * all of them, its panels split over the threads, and each stripe packs its own part of the other
 * operand into its thread's buffers, reused across calls.
 */
final class PackedGemm {
    /** Depth of a packed block: one B panel {@code KC x NR} (16 KiB on AVX2) stays in L1. */
    static final int KC = 256;
    /** Rows of A packed at once ({@code MC x KC}, 144 KiB), a multiple of MR, sized for L2. */
    static final int MC = 36 * MR;
    /** Columns of B packed at once ({@code KC x NC}, 2 MiB), a multiple of NR. */
    static final int NC = 2048;
    /** Below this many multiply-adds one thread is faster than waking the others. */
    private static final long PARALLEL_WORK = 1L << 18;

    private final WorkerPool pool;
    /**
     * Per thread: its packing buffers and the arguments of the multiply it is making, made on first
     * use and reused, so that a call allocates nothing (Winograd makes 16 calls per chunk of images).
     * A thread is in at most one multiply at a time; while it fans out, the other threads only read
     * its call.
     */
    private final ThreadLocal<Call> calls = ThreadLocal.withInitial(() -> new Call());

    private static final class Buffers {
        final float[] packedA = new float[MC * KC];
        final float[] packedB = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    PackedGemm(WorkerPool pool) {
        this.pool = pool;
    }

    /**
     * A is {@code [M, K]} ({@code [K, M]} when transA) at {@code a[aOff]}, B is {@code [K, N]}
     * ({@code [N, K]} when transB) at {@code b[bOff]}, C is {@code [M, N]} at {@code c[cOff]}; all
     * dense row-major. C is not read when beta is 0.
     */
    void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                  float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        Call call = calls.get();
        call.a.set(a, aOff, transA ? m : k, transA, false);
        call.b.set(b, bOff, transB ? k : n, transB, false);
        run(call, m, n, k, alpha, beta, c, cOff);
    }

    /** Floats of a {@code [M, K]} A packed once for {@link #multiplyPackedA}: MR-row panels over the whole depth. */
    static int packedSize(int m, int k) {
        return (m + MR - 1) / MR * MR * k;
    }

    /**
     * Where element (row, col) of a {@code [M, K]} A goes in its packed form: panel {@code row / MR},
     * laid out {@code [K][MR]}, as {@link #packA} lays out a block. Rows past M in the last panel are
     * never written: they only feed accumulators of C rows that are not stored.
     */
    static int packedIndex(int row, int col, int k) {
        return (row / MR) * k * MR + col * MR + row % MR;
    }

    /** Where column {@code col} (a multiple of NR) of a {@code [K, N]} B packed over its whole depth starts at depth {@code p}. */
    private static int packedPanelB(int col, int p, int k) {
        return (col / NR) * k * NR + p * NR;
    }

    /**
     * {@link #multiply} with A {@code [M, K]} already packed at {@code packedA[aOff]} (see
     * {@link #packedIndex}): for an A that many products share (Winograd's transformed filters), packed
     * once rather than once per product.
     */
    void multiplyPackedA(int m, int n, int k, float alpha, float[] packedA, int aOff, boolean transB,
                         float[] b, int bOff, float beta, float[] c, int cOff) {
        Call call = calls.get();
        call.a.set(packedA, aOff, k, false, true);
        call.b.set(b, bOff, transB ? k : n, transB, false);
        run(call, m, n, k, alpha, beta, c, cOff);
    }

    /**
     * Drops the calling thread's call state. A thread's {@link Call} refers back to this PackedGemm
     * (and so to its ThreadLocal key), so the thread's map never sees the entry go stale: without this,
     * a long-lived thread that used many backends (a test JVM's main thread) keeps every one's packing
     * buffers, shared panels and last operands. The pool's workers take theirs with them when they end.
     */
    void close() {
        calls.remove();
    }

    private void run(Call call, int m, int n, int k, float alpha, float beta, float[] c, int cOff) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff);
            return;
        }
        call.m = m;
        call.n = n;
        call.k = k;
        call.alpha = alpha;
        call.beta = beta;
        call.c = c;
        call.cOff = cOff;
        int tilesM = (m + MR - 1) / MR;
        int tilesN = (n + NR - 1) / NR;
        // Each stripe packs all of the operand it shares with the other stripes: A for column
        // stripes, B for row stripes. Stripe the dimension whose shared operand is the smaller.
        call.splitColumns = m <= n;
        call.tiles = call.splitColumns ? tilesN : tilesM;
        long work = (long) m * n * k;
        // One stripe per thread: finer stripes (measured with 4 per thread, when each stripe packed the
        // shared operand itself) cost more in packing than they win in balance. A call from inside a
        // task of the pool (Winograd's products, one per thread) would run its stripes one after the
        // other on its own thread: one stripe there.
        call.parts = work < PARALLEL_WORK || pool.insideTask() ? 1 : Math.min(pool.threads(), call.tiles);
        if (call.parts > 1) {
            packShared(call, tilesM, tilesN);
        }
        pool.parallelFor(call.parts, call);
    }

    /**
     * Packs the operand that every stripe reads whole over its whole depth into the call's shared
     * buffer, its panels split over the threads, and points the operand at it: A in MR-row panels
     * ({@link #packedIndex}) for column stripes, B in NR-column panels ({@link #packedPanelB}) for row
     * stripes. Unless it came packed (A of {@link #multiplyPackedA}).
     */
    private void packShared(Call call, int tilesM, int tilesN) {
        Operand shared = call.splitColumns ? call.a : call.b;
        if (shared.packed) {
            return;
        }
        int panels = call.splitColumns ? tilesM : tilesN;
        int size = panels * (call.splitColumns ? MR : NR) * call.k;
        if (call.shared.length < size) {
            // Grows to the largest shared operand seen, then is reused: no allocation per call after that.
            call.shared = new float[size];
        }
        call.sharedPanels = panels;
        pool.parallelFor(call.parts, call.packSharedPart);
        shared.set(call.shared, 0, call.k, false, true);
    }

    /** A matrix operand: {@code op(X)[i][p]} is {@code x[off + i*ld + p]}, or {@code x[off + p*ld + i]} when transposed. */
    private static final class Operand {
        float[] data;
        int off;
        int ld;
        boolean transposed;
        /** Already packed over the whole depth: A in MR-row panels ({@link #packedIndex}), B in NR-column panels ({@link #packedPanelB}). */
        boolean packed;

        void set(float[] data, int off, int ld, boolean transposed, boolean packed) {
            this.data = data;
            this.off = off;
            this.ld = ld;
            this.transposed = transposed;
            this.packed = packed;
        }
    }

    /** One multiply's arguments; task {@code part} computes the part-th stripe of C on the thread that runs it. */
    private final class Call implements IntConsumer {
        final Operand a = new Operand();
        final Operand b = new Operand();
        final Buffers buffers = new Buffers();
        /** The operand all stripes share, packed once per multiply by {@link #packShared}. */
        float[] shared = new float[0];
        int sharedPanels;
        /** Task {@code part}: the part-th range of the shared operand's panels. */
        final IntConsumer packSharedPart = this::packSharedPart;
        int m;
        int n;
        int k;
        float alpha;
        float beta;
        float[] c;
        int cOff;
        boolean splitColumns;
        int tiles;
        int parts;

        @Override
        public void accept(int part) {
            int from = (int) ((long) tiles * part / parts);
            int to = (int) ((long) tiles * (part + 1) / parts);
            // The stripe packs into the buffers of the thread running it, not of the caller.
            Buffers buf = calls.get().buffers;
            if (splitColumns) {
                block(a, b, 0, m, from * NR, Math.min(n, to * NR), k, alpha, beta, c, cOff, n, buf);
            } else {
                block(a, b, from * MR, Math.min(m, to * MR), 0, n, k, alpha, beta, c, cOff, n, buf);
            }
        }

        private void packSharedPart(int part) {
            int from = (int) ((long) sharedPanels * part / parts);
            int to = (int) ((long) sharedPanels * (part + 1) / parts);
            if (splitColumns) {
                packA(a, from * MR, Math.min(m, to * MR) - from * MR, 0, k, shared, from * MR * k);
            } else {
                packB(b, 0, k, from * NR, Math.min(n, to * NR) - from * NR, shared, from * NR * k);
            }
        }
    }

    /** C[m0:m1, n0:n1] of the whole product, looping KC/MC/NC blocks around the micro-kernel. */
    private static void block(Operand a, Operand b, int m0, int m1, int n0, int n1, int k, float alpha, float beta,
                              float[] c, int cOff, int ldc, Buffers buf) {
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float betaHere = pc == 0 ? beta : 1f;
                float[] pb = b.packed ? b.data : buf.packedB;
                if (!b.packed) {
                    packB(b, pc, kc, jc, nc, buf.packedB, 0);
                }
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    float[] pa = a.packed ? a.data : buf.packedA;
                    if (!a.packed) {
                        packA(a, ic, mc, pc, kc, buf.packedA, 0);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int bPanel = b.packed ? b.off + packedPanelB(jc + jr, pc, k) : (jr / NR) * kc * NR;
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            // A pre-packed: panel (ic + ir) / MR of the whole depth, from depth pc on.
                            int aPanel = a.packed ? a.off + packedIndex(ic + ir, pc, k) : (ir / MR) * kc * MR;
                            MicroKernel.multiply(kc, pa, aPanel, pb, bPanel, buf.tile);
                            MicroKernel.update(buf.tile, c, cOff + (ic + ir) * ldc + jc + jr, ldc,
                                    Math.min(MR, mc - ir), nr, alpha, betaHere);
                        }
                    }
                }
            }
        }
    }

    /** op(A)[ic:ic+mc, pc:pc+kc] into MR-tall panels from {@code dst[dstOff]}, each {@code [kc][MR]}, zero-padded rows. */
    private static void packA(Operand a, int ic, int mc, int pc, int kc, float[] dst, int dstOff) {
        float[] x = a.data;
        int ld = a.ld;
        for (int ir = 0; ir < mc; ir += MR) {
            int panel = dstOff + (ir / MR) * kc * MR;
            int rows = Math.min(MR, mc - ir);
            if (a.transposed) {
                for (int p = 0; p < kc; p++) {
                    int src = a.off + (pc + p) * ld + ic + ir;
                    int d = panel + p * MR;
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = x[src + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        dst[d + r] = 0f;
                    }
                }
            } else {
                int src = a.off + (ic + ir) * ld + pc;
                int p = 0;
                if (rows == MR) {
                    // 8 columns of the MR rows at a time; each 8-lane column store spills 8 - MR lanes
                    // into the next column's place, so the last block stops short of the panel's end.
                    for (; p + Transpose8x8.SIZE < kc; p += Transpose8x8.SIZE) {
                        Transpose8x8.transpose(x, src + p, ld, MR, dst, panel + p * MR, MR);
                    }
                }
                for (int r = 0; r < MR; r++) {
                    for (int q = p; q < kc; q++) {
                        dst[panel + q * MR + r] = r < rows ? x[src + r * ld + q] : 0f;
                    }
                }
            }
        }
    }

    /** op(B)[pc:pc+kc, jc:jc+nc] into NR-wide panels from {@code dst[dstOff]}, each {@code [kc][NR]}, zero-padded columns. */
    private static void packB(Operand b, int pc, int kc, int jc, int nc, float[] dst, int dstOff) {
        float[] x = b.data;
        int ld = b.ld;
        for (int jr = 0; jr < nc; jr += NR) {
            int panel = dstOff + (jr / NR) * kc * NR;
            int cols = Math.min(NR, nc - jr);
            if (b.transposed) {
                int src = b.off + (jc + jr) * ld + pc;
                int p = 0;
                if (cols == NR) {
                    // 8 x 8 blocks of the NR source rows, each landing as 8 columns of 8 panel rows.
                    for (; p + Transpose8x8.SIZE <= kc; p += Transpose8x8.SIZE) {
                        for (int j = 0; j < NR; j += Transpose8x8.SIZE) {
                            Transpose8x8.transpose(x, src + j * ld + p, ld, Transpose8x8.SIZE,
                                    dst, panel + p * NR + j, NR);
                        }
                    }
                }
                for (int j = 0; j < NR; j++) {
                    for (int q = p; q < kc; q++) {
                        dst[panel + q * NR + j] = j < cols ? x[src + j * ld + q] : 0f;
                    }
                }
            } else if (cols == NR) {
                // A full panel row is two vectors: moved as vectors, 3x faster than System.arraycopy,
                // whose call costs more than copying 16 (or 32) floats.
                for (int p = 0; p < kc; p++) {
                    int src = b.off + (pc + p) * ld + jc + jr;
                    int d = panel + p * NR;
                    for (int v = 0; v < NR; v += VL) {
                        FloatVector.fromArray(SPECIES, x, src + v).intoArray(dst, d + v);
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = b.off + (pc + p) * ld + jc + jr;
                    int d = panel + p * NR;
                    System.arraycopy(x, src, dst, d, cols);
                    java.util.Arrays.fill(dst, d + cols, d + NR, 0f);
                }
            }
        }
    }

    private static void scaleC(int m, int n, float beta, float[] c, int cOff) {
        int size = m * n;
        if (beta == 0f) {
            java.util.Arrays.fill(c, cOff, cOff + size, 0f);
        } else if (beta != 1f) {
            for (int i = cOff; i < cOff + size; i++) {
                c[i] *= beta;
            }
        }
    }
}
