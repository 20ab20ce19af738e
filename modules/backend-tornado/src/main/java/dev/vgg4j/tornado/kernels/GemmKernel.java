package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Strided, batched, register-blocked GEMM: for every batch z, {@code C_z[M, N] = alpha * A_z[M, K] *
 * B_z[K, N] + beta * C_z (+ bias[row])}. Each matrix is an offset into the heap plus a row stride and
 * a column stride, so a transpose is a swap of strides and a convolution's images are a batch stride;
 * B may also be a convolution's column matrix gathered on the fly ({@link ConvWindow}: implicit GEMM).
 *
 * <p>Blocking: a work-group of {@link Params#TILE} x {@link Params#GEMM_GROUP_Y} (16 x 8) work-items
 * owns a {@link Params#GEMM_ROWS} x {@link Params#GEMM_COLS} (64 x 128) block of C; each work-item
 * accumulates 8 x 8 outputs, rows {@code ty + 8i} and columns {@code tx + 16j} (strided, so that a
 * warp's local-memory reads are broadcasts or 16 consecutive floats and its stores coalesce): 16
 * local reads feed 64 FMAs, which keeps local-memory bandwidth at the FMA rate (4 x 8 needed 12 for
 * 32). The accumulators are plain locals because TornadoVM's PTX backend puts a Java array in (slow)
 * local memory. Per step along K the group stages A [64 rows, TILE k] and B [TILE k, 128 cols] in
 * local memory, k-major with a padded stride; each work-item loads 8 + 16 elements, walking the
 * operand's contiguous direction so that neighbouring work-items read neighbouring addresses
 * whichever way the operand is transposed. Wide in N because a convolution's N (images x positions)
 * is always large.
 *
 * <p>Double-buffered tiles: two copies of each staged tile; step t loads K tile t into one while it
 * multiplies tile t - 1 from the other, so one barrier per step (not two) separates the stores from
 * the reads, and the loads' latency overlaps the FMAs of the same step. (No vector loads: TornadoVM
 * 5.2 has no float4 load from a {@code FloatArray} nor vector-typed local arrays.)
 *
 * <p>Image columns: A's, B's and C's column {@code j} may be split as {@code (j / P, j % P)} = (image,
 * position) with an image stride, so a convolution's [N, F, P] tensor is read or written as one
 * [F, N*P] matrix without a relayout (P = Integer.MAX_VALUE and stride 0 when unused): the output
 * of the forward, the input gradient written by its GEMM, and the output gradient read by the
 * weight-gradient GEMM (A, columns along K). A and B have image columns only with a column stride of
 * 1 (the host never asks otherwise): then a work-item's 8 A loads per K step share one k, whose
 * offset is worked out once per step.
 *
 * <p>Split K: with {@code kSlice > 0}, batch z sums only k in [z*kSlice, (z+1)*kSlice) into its own C_z
 * (A and B batch strides 0); {@link #sumSlices} then adds the slices (and the bias), so a GEMM with
 * few output blocks and a long K (a weight gradient, a convolution of a small plane) still fills the device.
 *
 * <p>Parameters: {@link GemmArgs}, each operand as named by {@link Operand}, B's window by {@link ConvWindow}.
 */
public final class GemmKernel {
    private GemmKernel() {}

    /** Local-memory row lengths of the staged tiles: one more than the block side, so k-major stores spread over banks. */
    private static final int A_STRIDE = Params.GEMM_ROWS + 1;
    private static final int B_STRIDE = Params.GEMM_COLS + 1;
    /** One buffer of each double-buffered tile, floats. */
    private static final int A_TILE = Params.TILE * A_STRIDE;
    private static final int B_TILE = Params.TILE * B_STRIDE;

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

        // A's share of this work-item: rows aRow + q*aRowStep, k aK + q*aKStep (q < 8), along A's contiguous side.
        int aBase = ip.get(GemmArgs.A + Operand.OFFSET) + z * ip.get(GemmArgs.A + Operand.BATCH_STRIDE);
        int aRowStride = ip.get(GemmArgs.A + Operand.ROW_STRIDE);
        int aColStride = ip.get(GemmArgs.A + Operand.COL_STRIDE);
        boolean aAlongK = aColStride == 1;
        int aRow = aAlongK ? lid >> 4 : lid & (Params.GEMM_ROWS - 1);
        int aRowStep = aAlongK ? Params.GEMM_GROUP_Y : 0;
        int aK = aAlongK ? lid & (Params.TILE - 1) : lid >> 6;
        int aKStep = aAlongK ? 0 : 2;
        int aPerImage = ip.get(GemmArgs.A + Operand.PER_IMAGE);
        int aImageStride = ip.get(GemmArgs.A + Operand.IMAGE_STRIDE);

        // B's share: columns bCol + q*bColStep, k bK + q*bKStep (q < 16), walking B's contiguous side:
        // N for a strided B of column stride 1 and for a window with taps along K (neighbouring
        // positions are neighbouring source elements), K otherwise. Along N that is one column, whose
        // offset (image columns included) or window position is worked out once, outside the K loop.
        int bBase = ip.get(GemmArgs.B + Operand.OFFSET) + z * ip.get(GemmArgs.B + Operand.BATCH_STRIDE);
        int bRowStride = ip.get(GemmArgs.B + Operand.ROW_STRIDE);
        int bColStride = ip.get(GemmArgs.B + Operand.COL_STRIDE);
        int window = ip.get(GemmArgs.WINDOW + ConvWindow.MODE);
        boolean tapsAlongN = window == ConvWindow.TAPS_ALONG_N;
        boolean tapsAlongK = window == ConvWindow.TAPS_ALONG_K;
        int kh = ip.get(GemmArgs.WINDOW + ConvWindow.KH);
        int kw = ip.get(GemmArgs.WINDOW + ConvWindow.KW);
        boolean bAlongN = window == ConvWindow.NONE ? bColStride == 1 : tapsAlongK;
        int bCol = bAlongN ? lid : lid >> 4;
        int bColStep = bAlongN ? 0 : Params.GEMM_GROUP_Y;
        int bK = bAlongN ? 0 : lid & (Params.TILE - 1);
        int bKStep = bAlongN ? 1 : 0;
        int bColumnAlongN = columnOffset(colBase + bCol, n, 1, ip.get(GemmArgs.B + Operand.PER_IMAGE),
                ip.get(GemmArgs.B + Operand.IMAGE_STRIDE));
        int positionImage = ConvWindow.positionImage(ip, bBase, colBase + bCol, n);
        int positionRow = ConvWindow.positionRow(ip, colBase + bCol, n);
        int positionColumn = ConvWindow.positionColumn(ip, colBase + bCol, n);

        float[] aTile = ctx.allocateFloatLocalArray(2 * A_TILE);
        float[] bTile = ctx.allocateFloatLocalArray(2 * B_TILE);
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f, c04 = 0f, c05 = 0f, c06 = 0f, c07 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f, c14 = 0f, c15 = 0f, c16 = 0f, c17 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f, c24 = 0f, c25 = 0f, c26 = 0f, c27 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f, c34 = 0f, c35 = 0f, c36 = 0f, c37 = 0f;
        float c40 = 0f, c41 = 0f, c42 = 0f, c43 = 0f, c44 = 0f, c45 = 0f, c46 = 0f, c47 = 0f;
        float c50 = 0f, c51 = 0f, c52 = 0f, c53 = 0f, c54 = 0f, c55 = 0f, c56 = 0f, c57 = 0f;
        float c60 = 0f, c61 = 0f, c62 = 0f, c63 = 0f, c64 = 0f, c65 = 0f, c66 = 0f, c67 = 0f;
        float c70 = 0f, c71 = 0f, c72 = 0f, c73 = 0f, c74 = 0f, c75 = 0f, c76 = 0f, c77 = 0f;
        // Step t stages K tile t into buffer t % 2 and multiplies tile t - 1 from the other buffer.
        int tiles = (kEnd - kBegin + Params.TILE - 1) / Params.TILE;
        for (int t = 0; t <= tiles; t++) {
            if (t < tiles) {
                int k0 = kBegin + t * Params.TILE;
                int aBuffer = (t & 1) * A_TILE;
                int bBuffer = (t & 1) * B_TILE;
                // Along K the 8 loads share k = k0 + aK: its offset once (no division without image columns).
                int kAlongK = aPerImage == Operand.NO_IMAGES ? k0 + aK : columnOffset(k0 + aK, kEnd, 1, aPerImage, aImageStride);
                for (int q = 0; q < 8; q++) {
                    int r = aRow + q * aRowStep;
                    int kk = aK + q * aKStep;
                    int kOffset = aAlongK ? kAlongK : (k0 + kk) * aColStride;
                    aTile[aBuffer + kk * A_STRIDE + r] = loadA(heap, aBase, rowBase + r, m, aRowStride, k0 + kk, kEnd, kOffset);
                }
                // A window with taps along N has its positions along K: this step's k0 + bK split once.
                int kImage = tapsAlongN ? ConvWindow.positionImage(ip, bBase, k0 + bK, kEnd) : -1;
                int kRow = tapsAlongN ? ConvWindow.positionRow(ip, k0 + bK, kEnd) : 0;
                int kColumn = tapsAlongN ? ConvWindow.positionColumn(ip, k0 + bK, kEnd) : 0;
                // With taps along K the 16 loads are taps k0 .. k0 + 15 of one position: k0 split once.
                int tapChannel = tapsAlongK ? ConvWindow.tapChannel(ip, k0) : 0;
                int tapRow = tapsAlongK ? ConvWindow.tapRow(ip, k0) : 0;
                int tapColumn = tapsAlongK ? ConvWindow.tapColumn(ip, k0) : 0;
                for (int q = 0; q < 16; q++) {
                    int c = bCol + q * bColStep;
                    int kk = bK + q * bKStep;
                    int offset;
                    if (window == ConvWindow.NONE) {
                        int column = bAlongN ? bColumnAlongN : stridedOffset(colBase + c, n, bColStride);
                        offset = stridedB(bBase, column, k0 + kk, kEnd, bRowStride);
                    } else if (tapsAlongN) {
                        int tap = colBase + c;
                        offset = ConvWindow.offset(ip, kImage, kRow, kColumn, ConvWindow.tapChannel(ip, tap),
                                ConvWindow.tapRow(ip, tap), ConvWindow.tapColumn(ip, tap), tap < n);
                    } else {
                        offset = ConvWindow.offset(ip, positionImage, positionRow, positionColumn, tapChannel, tapRow,
                                tapColumn, k0 + kk < kEnd);
                        // The next tap: dx + 1, carried into dy and the channel.
                        tapColumn++;
                        if (tapColumn == kw) {
                            tapColumn = 0;
                            tapRow++;
                            if (tapRow == kh) {
                                tapRow = 0;
                                tapChannel++;
                            }
                        }
                    }
                    bTile[bBuffer + kk * B_STRIDE + c] = valueAt(heap, offset);
                }
            }
            if (t > 0) {
                int aBuffer = ((t - 1) & 1) * A_TILE;
                int bBuffer = ((t - 1) & 1) * B_TILE;
                for (int kk = 0; kk < Params.TILE; kk++) {
                    int at = aBuffer + kk * A_STRIDE;
                    int bt = bBuffer + kk * B_STRIDE;
                    float a0 = aTile[at + ty];
                    float a1 = aTile[at + ty + 8];
                    float a2 = aTile[at + ty + 16];
                    float a3 = aTile[at + ty + 24];
                    float a4 = aTile[at + ty + 32];
                    float a5 = aTile[at + ty + 40];
                    float a6 = aTile[at + ty + 48];
                    float a7 = aTile[at + ty + 56];
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
                    c40 += a4 * v0;
                    c41 += a4 * v1;
                    c42 += a4 * v2;
                    c43 += a4 * v3;
                    c44 += a4 * v4;
                    c45 += a4 * v5;
                    c46 += a4 * v6;
                    c47 += a4 * v7;
                    c50 += a5 * v0;
                    c51 += a5 * v1;
                    c52 += a5 * v2;
                    c53 += a5 * v3;
                    c54 += a5 * v4;
                    c55 += a5 * v5;
                    c56 += a5 * v6;
                    c57 += a5 * v7;
                    c60 += a6 * v0;
                    c61 += a6 * v1;
                    c62 += a6 * v2;
                    c63 += a6 * v3;
                    c64 += a6 * v4;
                    c65 += a6 * v5;
                    c66 += a6 * v6;
                    c67 += a6 * v7;
                    c70 += a7 * v0;
                    c71 += a7 * v1;
                    c72 += a7 * v2;
                    c73 += a7 * v3;
                    c74 += a7 * v4;
                    c75 += a7 * v5;
                    c76 += a7 * v6;
                    c77 += a7 * v7;
                }
            }
            ctx.localBarrier();
        }
        // C's row and column offsets (image columns included) and the bias once, then one guarded
        // store per output: the 64 stores stay small enough for TornadoVM to inline them all (past
        // Graal's MaximumDesiredSize graph it stops inlining, and the kernel no longer compiles).
        int row = rowBase + ty;
        int col = colBase + tx;
        int cPerImage = ip.get(GemmArgs.C + Operand.PER_IMAGE);
        int cImageStride = ip.get(GemmArgs.C + Operand.IMAGE_STRIDE);
        float alpha = fp.get(GemmArgs.ALPHA);
        float beta = fp.get(GemmArgs.BETA);
        boolean readC = ip.get(GemmArgs.READ_C) == 1;
        int bias = ip.get(GemmArgs.BIAS);
        int o0 = columnOffset(col, n, 1, cPerImage, cImageStride);
        int o1 = columnOffset(col + 16, n, 1, cPerImage, cImageStride);
        int o2 = columnOffset(col + 32, n, 1, cPerImage, cImageStride);
        int o3 = columnOffset(col + 48, n, 1, cPerImage, cImageStride);
        int o4 = columnOffset(col + 64, n, 1, cPerImage, cImageStride);
        int o5 = columnOffset(col + 80, n, 1, cPerImage, cImageStride);
        int o6 = columnOffset(col + 96, n, 1, cPerImage, cImageStride);
        int o7 = columnOffset(col + 112, n, 1, cPerImage, cImageStride);
        int r0 = rowOffset(ip, z, row, m);
        float b0 = biasAt(heap, bias, row, m);
        int r1 = rowOffset(ip, z, row + 8, m);
        float b1 = biasAt(heap, bias, row + 8, m);
        int r2 = rowOffset(ip, z, row + 16, m);
        float b2 = biasAt(heap, bias, row + 16, m);
        int r3 = rowOffset(ip, z, row + 24, m);
        float b3 = biasAt(heap, bias, row + 24, m);
        int r4 = rowOffset(ip, z, row + 32, m);
        float b4 = biasAt(heap, bias, row + 32, m);
        int r5 = rowOffset(ip, z, row + 40, m);
        float b5 = biasAt(heap, bias, row + 40, m);
        int r6 = rowOffset(ip, z, row + 48, m);
        float b6 = biasAt(heap, bias, row + 48, m);
        int r7 = rowOffset(ip, z, row + 56, m);
        float b7 = biasAt(heap, bias, row + 56, m);
        store(heap, r0, o0, c00, alpha, readC, beta, b0);
        store(heap, r0, o1, c01, alpha, readC, beta, b0);
        store(heap, r0, o2, c02, alpha, readC, beta, b0);
        store(heap, r0, o3, c03, alpha, readC, beta, b0);
        store(heap, r0, o4, c04, alpha, readC, beta, b0);
        store(heap, r0, o5, c05, alpha, readC, beta, b0);
        store(heap, r0, o6, c06, alpha, readC, beta, b0);
        store(heap, r0, o7, c07, alpha, readC, beta, b0);
        store(heap, r1, o0, c10, alpha, readC, beta, b1);
        store(heap, r1, o1, c11, alpha, readC, beta, b1);
        store(heap, r1, o2, c12, alpha, readC, beta, b1);
        store(heap, r1, o3, c13, alpha, readC, beta, b1);
        store(heap, r1, o4, c14, alpha, readC, beta, b1);
        store(heap, r1, o5, c15, alpha, readC, beta, b1);
        store(heap, r1, o6, c16, alpha, readC, beta, b1);
        store(heap, r1, o7, c17, alpha, readC, beta, b1);
        store(heap, r2, o0, c20, alpha, readC, beta, b2);
        store(heap, r2, o1, c21, alpha, readC, beta, b2);
        store(heap, r2, o2, c22, alpha, readC, beta, b2);
        store(heap, r2, o3, c23, alpha, readC, beta, b2);
        store(heap, r2, o4, c24, alpha, readC, beta, b2);
        store(heap, r2, o5, c25, alpha, readC, beta, b2);
        store(heap, r2, o6, c26, alpha, readC, beta, b2);
        store(heap, r2, o7, c27, alpha, readC, beta, b2);
        store(heap, r3, o0, c30, alpha, readC, beta, b3);
        store(heap, r3, o1, c31, alpha, readC, beta, b3);
        store(heap, r3, o2, c32, alpha, readC, beta, b3);
        store(heap, r3, o3, c33, alpha, readC, beta, b3);
        store(heap, r3, o4, c34, alpha, readC, beta, b3);
        store(heap, r3, o5, c35, alpha, readC, beta, b3);
        store(heap, r3, o6, c36, alpha, readC, beta, b3);
        store(heap, r3, o7, c37, alpha, readC, beta, b3);
        store(heap, r4, o0, c40, alpha, readC, beta, b4);
        store(heap, r4, o1, c41, alpha, readC, beta, b4);
        store(heap, r4, o2, c42, alpha, readC, beta, b4);
        store(heap, r4, o3, c43, alpha, readC, beta, b4);
        store(heap, r4, o4, c44, alpha, readC, beta, b4);
        store(heap, r4, o5, c45, alpha, readC, beta, b4);
        store(heap, r4, o6, c46, alpha, readC, beta, b4);
        store(heap, r4, o7, c47, alpha, readC, beta, b4);
        store(heap, r5, o0, c50, alpha, readC, beta, b5);
        store(heap, r5, o1, c51, alpha, readC, beta, b5);
        store(heap, r5, o2, c52, alpha, readC, beta, b5);
        store(heap, r5, o3, c53, alpha, readC, beta, b5);
        store(heap, r5, o4, c54, alpha, readC, beta, b5);
        store(heap, r5, o5, c55, alpha, readC, beta, b5);
        store(heap, r5, o6, c56, alpha, readC, beta, b5);
        store(heap, r5, o7, c57, alpha, readC, beta, b5);
        store(heap, r6, o0, c60, alpha, readC, beta, b6);
        store(heap, r6, o1, c61, alpha, readC, beta, b6);
        store(heap, r6, o2, c62, alpha, readC, beta, b6);
        store(heap, r6, o3, c63, alpha, readC, beta, b6);
        store(heap, r6, o4, c64, alpha, readC, beta, b6);
        store(heap, r6, o5, c65, alpha, readC, beta, b6);
        store(heap, r6, o6, c66, alpha, readC, beta, b6);
        store(heap, r6, o7, c67, alpha, readC, beta, b6);
        store(heap, r7, o0, c70, alpha, readC, beta, b7);
        store(heap, r7, o1, c71, alpha, readC, beta, b7);
        store(heap, r7, o2, c72, alpha, readC, beta, b7);
        store(heap, r7, o3, c73, alpha, readC, beta, b7);
        store(heap, r7, o4, c74, alpha, readC, beta, b7);
        store(heap, r7, o5, c75, alpha, readC, beta, b7);
        store(heap, r7, o6, c76, alpha, readC, beta, b7);
        store(heap, r7, o7, c77, alpha, readC, beta, b7);
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

    /** The heap offset of C_z's row {@code row}, -1 outside [0, M). */
    private static int rowOffset(IntArray ip, int z, int row, int m) {
        int offset = -1;
        if (row < m) {
            offset = ip.get(GemmArgs.C + Operand.OFFSET) + z * ip.get(GemmArgs.C + Operand.BATCH_STRIDE)
                    + row * ip.get(GemmArgs.C + Operand.ROW_STRIDE);
        }
        return offset;
    }

    /** bias[row] for a bias at heap offset {@code bias} (-1: none, 0) and a row inside [0, M). */
    private static float biasAt(FloatArray heap, int bias, int row, int m) {
        float v = 0f;
        if (bias >= 0 && row < m) {
            v = heap.get(bias + row);
        }
        return v;
    }

    /**
     * C(row, column) = alpha * acc (+ beta * C(row, column) when C is read) + the row's bias, for a
     * row and column inside C (offsets not -1). C is not read when beta is 0: it may hold anything.
     */
    private static void store(FloatArray heap, int rowOffset, int columnOffset, float acc, float alpha, boolean readC,
                              float beta, float bias) {
        if (rowOffset >= 0 && columnOffset >= 0) {
            int at = rowOffset + columnOffset;
            float value = alpha * acc;
            if (readC) {
                value = value + beta * heap.get(at);
            }
            heap.set(at, value + bias);
        }
    }

    /**
     * The end of a split-K GEMM: C(r, c) = sum over s of part[s][r, c] (+ beta * C(r, c)) (+ bias[r]),
     * the slices added in order so the result is the same on every run, C's column c through its
     * image columns. One work-item per element of C.
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
            int n = ip.get(GemmArgs.SumSlices.N);
            int row = i / n;
            int at = ip.get(GemmArgs.SumSlices.C + Operand.OFFSET) + row * ip.get(GemmArgs.SumSlices.C + Operand.ROW_STRIDE)
                    + columnOffset(i - row * n, n, 1, ip.get(GemmArgs.SumSlices.C + Operand.PER_IMAGE),
                    ip.get(GemmArgs.SumSlices.C + Operand.IMAGE_STRIDE));
            if (ip.get(GemmArgs.SumSlices.READ_C) == 1) {
                sum = sum + fp.get(GemmArgs.SumSlices.BETA) * heap.get(at);
            }
            if (ip.get(GemmArgs.SumSlices.BIAS) >= 0) {
                sum = sum + heap.get(ip.get(GemmArgs.SumSlices.BIAS) + row);
            }
            heap.set(at, sum);
        }
    }
}
