package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Strided, batched, register-blocked GEMM: for every batch z, {@code C_z[M, N] = alpha * A_z[M, K] *
 * B_z[K, N] + beta * C_z (+ bias[row])}. Each matrix is an offset into the heap plus a row stride and
 * a column stride, so a transpose is a swap of strides and a convolution's images are a batch stride.
 *
 * <p>Blocking: a work-group of {@link Params#TILE} x TILE work-items owns a {@link Params#GEMM_ROWS} x
 * {@link Params#GEMM_COLS} (64 x 128) block of C; each work-item accumulates 4 x 8 outputs, rows
 * {@code ty + 16i} and columns {@code tx + 16j} (strided, so that its local-memory reads are
 * broadcasts or consecutive and its stores coalesce): 12 local reads feed 32 FMAs. The accumulators
 * are plain locals because TornadoVM's PTX backend puts a Java array in (slow) local memory. Per
 * step along K the group stages A [64 rows, TILE k] and B [TILE k, 128 cols] in local memory,
 * k-major with a padded stride; each work-item loads 4 + 8 elements, walking the operand's contiguous
 * direction so that neighbouring work-items read neighbouring addresses whichever way the operand is
 * transposed. Wide in N because a convolution's N (images x positions) is always large.
 *
 * <p>Image columns: A's, B's and C's column {@code j} may be split as {@code (j / P, j % P)} = (image,
 * position) with an image stride, so a convolution's [N, F, P] tensor is read or written as one
 * [F, N*P] matrix without a relayout (P = Integer.MAX_VALUE and stride 0 when unused): the output
 * of the forward, the gradient read by the backward-input GEMM (B) and by the weight-gradient GEMM
 * (A, columns along K). A and B have image columns only with a column stride of 1 (the host never
 * asks otherwise): then a work-item's 4 A loads per K step share one k, whose offset is worked out
 * once per step.
 *
 * <p>Split K: with {@code kSlice > 0}, batch z sums only k in [z*kSlice, (z+1)*kSlice) into its own C_z
 * (A and B batch strides 0); {@link #sumSlices} then adds the slices, so a GEMM with few output blocks
 * and a long K (a weight gradient) still fills the device.
 *
 * <p>Parameters: {@link GemmArgs}, each operand as named by {@link Operand}.
 */
public final class GemmKernel {
    private GemmKernel() {}

    /** Local-memory row lengths of the staged tiles: one more than the block side, so k-major stores spread over banks. */
    private static final int A_STRIDE = Params.GEMM_ROWS + 1;
    private static final int B_STRIDE = Params.GEMM_COLS + 1;

    public static void gemm(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int m = ip.get(GemmArgs.M);
        int n = ip.get(GemmArgs.N);
        int k = ip.get(GemmArgs.K);
        int tx = ctx.localIdx;
        int ty = ctx.localIdy;
        int lid = ty * Params.TILE + tx;
        int z = ctx.globalIdz;
        int rowBase = ctx.groupIdy * Params.GEMM_ROWS;
        int colBase = ctx.groupIdx * Params.GEMM_COLS;
        int kSlice = ip.get(GemmArgs.K_SLICE);
        int kBegin = kSlice == 0 ? 0 : z * kSlice;
        int kEnd = kSlice == 0 ? k : Math.min(k, kBegin + kSlice);

        // A's share of this work-item: rows aRow + q*aRowStep, k aK + q*aKStep (q < 4), along A's contiguous side.
        int aBase = ip.get(GemmArgs.A + Operand.OFFSET) + z * ip.get(GemmArgs.A + Operand.BATCH_STRIDE);
        int aRowStride = ip.get(GemmArgs.A + Operand.ROW_STRIDE);
        int aColStride = ip.get(GemmArgs.A + Operand.COL_STRIDE);
        boolean aAlongK = aColStride == 1;
        int aRow = aAlongK ? lid >> 4 : lid & (Params.GEMM_ROWS - 1);
        int aRowStep = aAlongK ? Params.TILE : 0;
        int aK = aAlongK ? lid & (Params.TILE - 1) : lid >> 6;
        int aKStep = aAlongK ? 0 : 4;
        int aPerImage = ip.get(GemmArgs.A + Operand.PER_IMAGE);
        int aImageStride = ip.get(GemmArgs.A + Operand.IMAGE_STRIDE);

        // B's share: columns bCol + q*bColStep, k bK + q*bKStep (q < 8), walking B's contiguous side:
        // N for a strided B of column stride 1 and for a window with taps along K (neighbouring
        // positions are neighbouring source elements), K otherwise. Along N that is one column, whose
        // offset (image columns included) or window position is worked out once, outside the K loop.
        int bBase = ip.get(GemmArgs.B + Operand.OFFSET) + z * ip.get(GemmArgs.B + Operand.BATCH_STRIDE);
        int bRowStride = ip.get(GemmArgs.B + Operand.ROW_STRIDE);
        int bColStride = ip.get(GemmArgs.B + Operand.COL_STRIDE);
        int window = ip.get(GemmArgs.WINDOW + ConvWindow.MODE);
        boolean bAlongN = window == ConvWindow.NONE ? bColStride == 1 : window == ConvWindow.TAPS_ALONG_K;
        int bCol = bAlongN ? lid & (Params.GEMM_COLS - 1) : lid >> 4;
        int bColStep = bAlongN ? 0 : Params.TILE;
        int bK = bAlongN ? lid >> 7 : lid & (Params.TILE - 1);
        int bKStep = bAlongN ? 2 : 0;
        int bColumnAlongN = columnOffset(colBase + bCol, n, 1, ip.get(GemmArgs.B + Operand.PER_IMAGE),
                ip.get(GemmArgs.B + Operand.IMAGE_STRIDE));
        int positionImage = ConvWindow.positionImage(ip, bBase, colBase + bCol, n);
        int positionRow = ConvWindow.positionRow(ip, colBase + bCol);
        int positionColumn = ConvWindow.positionColumn(ip, colBase + bCol);

        float[] aTile = ctx.allocateFloatLocalArray(Params.TILE * A_STRIDE);
        float[] bTile = ctx.allocateFloatLocalArray(Params.TILE * B_STRIDE);
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f, c04 = 0f, c05 = 0f, c06 = 0f, c07 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f, c14 = 0f, c15 = 0f, c16 = 0f, c17 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f, c24 = 0f, c25 = 0f, c26 = 0f, c27 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f, c34 = 0f, c35 = 0f, c36 = 0f, c37 = 0f;
        for (int k0 = kBegin; k0 < kEnd; k0 += Params.TILE) {
            // Along K the 4 loads share k = k0 + aK: its offset once (no division without image columns).
            int kAlongK = aPerImage == Operand.NO_IMAGES ? k0 + aK : columnOffset(k0 + aK, kEnd, 1, aPerImage, aImageStride);
            for (int q = 0; q < 4; q++) {
                int r = aRow + q * aRowStep;
                int kk = aK + q * aKStep;
                int kOffset = aAlongK ? kAlongK : (k0 + kk) * aColStride;
                aTile[kk * A_STRIDE + r] = loadA(heap, aBase, rowBase + r, m, aRowStride, k0 + kk, kEnd, kOffset);
            }
            // A window with taps along N has its positions along K: this step's k0 + bK split once.
            boolean tapsAlongN = window == ConvWindow.TAPS_ALONG_N;
            int kImage = tapsAlongN ? ConvWindow.positionImage(ip, bBase, k0 + bK, kEnd) : -1;
            int kRow = tapsAlongN ? ConvWindow.positionRow(ip, k0 + bK) : 0;
            int kColumn = tapsAlongN ? ConvWindow.positionColumn(ip, k0 + bK) : 0;
            for (int q = 0; q < 8; q++) {
                int c = bCol + q * bColStep;
                int kk = bK + q * bKStep;
                int offset;
                if (window == ConvWindow.NONE) {
                    int column = bAlongN ? bColumnAlongN : stridedOffset(colBase + c, n, bColStride);
                    offset = stridedB(bBase, column, k0 + kk, kEnd, bRowStride);
                } else if (tapsAlongN) {
                    offset = ConvWindow.offset(ip, kImage, kRow, kColumn, colBase + c, n);
                } else {
                    offset = ConvWindow.offset(ip, positionImage, positionRow, positionColumn, k0 + kk, kEnd);
                }
                bTile[kk * B_STRIDE + c] = valueAt(heap, offset);
            }
            ctx.localBarrier();
            for (int kk = 0; kk < Params.TILE; kk++) {
                int at = kk * A_STRIDE;
                int bt = kk * B_STRIDE;
                float a0 = aTile[at + ty];
                float a1 = aTile[at + ty + 16];
                float a2 = aTile[at + ty + 32];
                float a3 = aTile[at + ty + 48];
                float v0 = bTile[bt + tx];
                float v1 = bTile[bt + tx + 16];
                float v2 = bTile[bt + tx + 32];
                float v3 = bTile[bt + tx + 48];
                float v4 = bTile[bt + tx + 64];
                float v5 = bTile[bt + tx + 80];
                float v6 = bTile[bt + tx + 96];
                float v7 = bTile[bt + tx + 112];
                c00 += a0 * v0;
                c01 += a0 * v1;
                c02 += a0 * v2;
                c03 += a0 * v3;
                c04 += a0 * v4;
                c05 += a0 * v5;
                c06 += a0 * v6;
                c07 += a0 * v7;
                c10 += a1 * v0;
                c11 += a1 * v1;
                c12 += a1 * v2;
                c13 += a1 * v3;
                c14 += a1 * v4;
                c15 += a1 * v5;
                c16 += a1 * v6;
                c17 += a1 * v7;
                c20 += a2 * v0;
                c21 += a2 * v1;
                c22 += a2 * v2;
                c23 += a2 * v3;
                c24 += a2 * v4;
                c25 += a2 * v5;
                c26 += a2 * v6;
                c27 += a2 * v7;
                c30 += a3 * v0;
                c31 += a3 * v1;
                c32 += a3 * v2;
                c33 += a3 * v3;
                c34 += a3 * v4;
                c35 += a3 * v5;
                c36 += a3 * v6;
                c37 += a3 * v7;
            }
            ctx.localBarrier();
        }
        // C's column offsets (image columns included) once, then one guarded store per output.
        int row = rowBase + ty;
        int col = colBase + tx;
        int cPerImage = ip.get(GemmArgs.C + Operand.PER_IMAGE);
        int cImageStride = ip.get(GemmArgs.C + Operand.IMAGE_STRIDE);
        int o0 = columnOffset(col, n, 1, cPerImage, cImageStride);
        int o1 = columnOffset(col + 16, n, 1, cPerImage, cImageStride);
        int o2 = columnOffset(col + 32, n, 1, cPerImage, cImageStride);
        int o3 = columnOffset(col + 48, n, 1, cPerImage, cImageStride);
        int o4 = columnOffset(col + 64, n, 1, cPerImage, cImageStride);
        int o5 = columnOffset(col + 80, n, 1, cPerImage, cImageStride);
        int o6 = columnOffset(col + 96, n, 1, cPerImage, cImageStride);
        int o7 = columnOffset(col + 112, n, 1, cPerImage, cImageStride);
        store(heap, ip, fp, z, row, o0, c00);
        store(heap, ip, fp, z, row, o1, c01);
        store(heap, ip, fp, z, row, o2, c02);
        store(heap, ip, fp, z, row, o3, c03);
        store(heap, ip, fp, z, row, o4, c04);
        store(heap, ip, fp, z, row, o5, c05);
        store(heap, ip, fp, z, row, o6, c06);
        store(heap, ip, fp, z, row, o7, c07);
        store(heap, ip, fp, z, row + 16, o0, c10);
        store(heap, ip, fp, z, row + 16, o1, c11);
        store(heap, ip, fp, z, row + 16, o2, c12);
        store(heap, ip, fp, z, row + 16, o3, c13);
        store(heap, ip, fp, z, row + 16, o4, c14);
        store(heap, ip, fp, z, row + 16, o5, c15);
        store(heap, ip, fp, z, row + 16, o6, c16);
        store(heap, ip, fp, z, row + 16, o7, c17);
        store(heap, ip, fp, z, row + 32, o0, c20);
        store(heap, ip, fp, z, row + 32, o1, c21);
        store(heap, ip, fp, z, row + 32, o2, c22);
        store(heap, ip, fp, z, row + 32, o3, c23);
        store(heap, ip, fp, z, row + 32, o4, c24);
        store(heap, ip, fp, z, row + 32, o5, c25);
        store(heap, ip, fp, z, row + 32, o6, c26);
        store(heap, ip, fp, z, row + 32, o7, c27);
        store(heap, ip, fp, z, row + 48, o0, c30);
        store(heap, ip, fp, z, row + 48, o1, c31);
        store(heap, ip, fp, z, row + 48, o2, c32);
        store(heap, ip, fp, z, row + 48, o3, c33);
        store(heap, ip, fp, z, row + 48, o4, c34);
        store(heap, ip, fp, z, row + 48, o5, c35);
        store(heap, ip, fp, z, row + 48, o6, c36);
        store(heap, ip, fp, z, row + 48, o7, c37);
    }

    /** A(row, k) given k's column offset (image columns included), 0 outside [M, kEnd). */
    private static float loadA(FloatArray heap, int base, int row, int m, int rowStride, int k, int kEnd, int kOffset) {
        float v = 0f;
        if (row < m && k < kEnd) {
            v = heap.get(base + row * rowStride + kOffset);
        }
        return v;
    }

    /** The heap offset of B(k, column) given the column's offset; -1 for a column outside N (offset -1) or k outside kEnd. */
    private static int stridedB(int base, int columnOffset, int k, int kEnd, int rowStride) {
        int offset = -1;
        if (columnOffset >= 0 && k < kEnd) {
            offset = base + k * rowStride + columnOffset;
        }
        return offset;
    }

    /** heap[offset], 0 for an offset of -1 (outside the matrix, or a window's padding). */
    private static float valueAt(FloatArray heap, int offset) {
        float v = 0f;
        if (offset >= 0) {
            v = heap.get(offset);
        }
        return v;
    }

    /** The offset of column j of a plain strided matrix; -1 outside [0, N). */
    private static int stridedOffset(int j, int n, int colStride) {
        return j < n ? j * colStride : -1;
    }

    /** The offset of column j of a matrix with image columns (j / P, j % P); -1 outside [0, N). */
    private static int columnOffset(int j, int n, int colStride, int perImage, int imageStride) {
        int offset = -1;
        if (j < n) {
            int image = j / perImage;
            offset = image * imageStride + (j - image * perImage) * colStride;
        }
        return offset;
    }

    /** C_z(row, column) = alpha * acc (+ beta * C_z(row, column)) (+ bias[row]), inside [M, N] (column offset -1 outside). */
    private static void store(FloatArray heap, IntArray ip, FloatArray fp, int z, int row, int cOffset, float acc) {
        if (row < ip.get(GemmArgs.M) && cOffset >= 0) {
            int at = ip.get(GemmArgs.C + Operand.OFFSET) + z * ip.get(GemmArgs.C + Operand.BATCH_STRIDE)
                    + row * ip.get(GemmArgs.C + Operand.ROW_STRIDE) + cOffset;
            float value = fp.get(GemmArgs.ALPHA) * acc;
            if (ip.get(GemmArgs.READ_C) == 1) {
                value = value + fp.get(GemmArgs.BETA) * heap.get(at);
            }
            if (ip.get(GemmArgs.BIAS) >= 0) {
                value = value + heap.get(ip.get(GemmArgs.BIAS) + row);
            }
            heap.set(at, value);
        }
    }

    /**
     * The end of a split-K GEMM: C(r, c) = sum over s of part[s][r, c] (+ beta * C(r, c)), the slices
     * added in order so the result is the same on every run. One work-item per element of C.
     * Parameters: {@link GemmArgs.SumSlices}.
     */
    public static void sumSlices(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        int count = ip.get(GemmArgs.SumSlices.COUNT);
        if (i < count) {
            float sum = 0f;
            for (int s = 0; s < ip.get(GemmArgs.SumSlices.SLICES); s++) {
                sum += heap.get(ip.get(GemmArgs.SumSlices.PARTIALS) + s * count + i);
            }
            int row = i / ip.get(GemmArgs.SumSlices.N);
            int at = ip.get(GemmArgs.SumSlices.C) + row * ip.get(GemmArgs.SumSlices.C_ROW_STRIDE)
                    + (i - row * ip.get(GemmArgs.SumSlices.N));
            if (ip.get(GemmArgs.SumSlices.READ_C) == 1) {
                sum = sum + fp.get(GemmArgs.SumSlices.BETA) * heap.get(at);
            }
            heap.set(at, sum);
        }
    }
}
