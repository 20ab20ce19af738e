package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * A GEMM operand B that is never written out: a convolution's column matrix, gathered from an image
 * tensor as the GEMM loads its tiles (implicit GEMM), so no im2col / col2im launch and no scratch.
 *
 * <p>Element (tap, position) of the window: tap {@code t = (ch, dy, dx)} over {@code channels x KH x
 * KW}, position {@code q = (n, u, v)} over {@code images x gridH x gridW}. It reads the source
 * tensor [images, channels, height, width] at row {@code (u*step + shift + sign*dy) / divisor} (and
 * likewise the column), 0 where that falls outside the source or is not a whole multiple of the
 * divisor:
 * <ul>
 *   <li>{@link #im2col}: the source is the input x [N, C, H, W], the grid is the output plane
 *       [OH, OW]; row {@code u*stride - padding + dy}. B of the forward ({@code W * col}) and, with
 *       taps along N, of the weight gradient ({@code gradOutput * col^T}).</li>
 *   <li>{@link #transposedConv}: the source is the output gradient [N, F, OH, OW], the grid is the
 *       input plane [H, W], taps are (f, dy, dx); row {@code (y + padding - dy) / stride} where it
 *       divides: the col2im adjoint as a gather, B of the input gradient.</li>
 * </ul>
 * Taps run along K and positions along N ({@link #TAPS_ALONG_K}), or the other way round
 * ({@link #TAPS_ALONG_N}).
 *
 * <p>The address helpers below are shared by every GEMM kernel whatever its element type: they give
 * heap offsets (or -1 for a zero), the kernel does the load. A work-item splits a position once
 * ({@link #positionImage}, {@link #positionRow}, {@link #positionColumn}), since it is fixed for
 * it across the K loop (taps along K) or for the 16 loads of a K step (taps along N), and a tap
 * ({@link #tapChannel}, {@link #tapRow}, {@link #tapColumn}) per load, or, along K where its loads
 * are consecutive taps, once per K step and then by steps of one.
 *
 * <p>Where the source tensor is, is B's {@link Operand} (its offset, and its batch stride for a
 * batched GEMM); the window is the geometry alone. In {@link GemmArgs#ints()} it takes {@link #WIDTH}
 * slots from {@link GemmArgs#WINDOW}.
 */
public record ConvWindow(int mode, int channels, int height, int width, int kh, int kw, int gridH,
                         int gridW, int step, int shift, int sign, int divisor) {
    /** Mode: B is a plain strided {@link Operand}. */
    public static final int NONE = 0;
    /** Mode: B(k = tap, j = position), the forward's and the input gradient's. */
    public static final int TAPS_ALONG_K = 1;
    /** Mode: B(k = position, j = tap), the weight gradient's. */
    public static final int TAPS_ALONG_N = 2;

    public static final int MODE = 0;
    public static final int CHANNELS = 1;
    public static final int SOURCE_H = 2;
    public static final int SOURCE_W = 3;
    public static final int KH = 4;
    public static final int KW = 5;
    public static final int GRID_H = 6;
    public static final int GRID_W = 7;
    public static final int STEP = 8;
    public static final int SHIFT = 9;
    public static final int SIGN = 10;
    public static final int DIVISOR = 11;
    public static final int WIDTH = 12;

    /** No window (its sizes 1: no division by zero should a kernel split a position before it looks at the mode). */
    public static final ConvWindow NO_WINDOW = new ConvWindow(NONE, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1);

    /**
     * The column matrix of a convolution of x [N, C, H, W] with KH x KW
     * filters giving an OH x OW plane: col[(c, dy, dx), (n, oy, ox)] = x[n, c, oy*stride - padding
     * + dy, ox*stride - padding + dx], taps along K.
     */
    public static ConvWindow im2col(int c, int h, int w, int kh, int kw, int oh, int ow, int stride,
                                    int padding) {
        return new ConvWindow(TAPS_ALONG_K, c, h, w, kh, kw, oh, ow, stride, -padding, 1, 1);
    }

    /**
     * The input gradient's B: for gradOutput [N, F, OH, OW] of a
     * convolution of an H x W input, B[(f, dy, dx), (n, y, x)] = gradOutput[n, f, (y + padding - dy)
     * / stride, (x + padding - dx) / stride] where both divide and fall inside, else 0; taps along K.
     */
    public static ConvWindow transposedConv(int f, int oh, int ow, int kh, int kw, int h, int w,
                                            int stride, int padding) {
        return new ConvWindow(TAPS_ALONG_K, f, oh, ow, kh, kw, h, w, 1, padding, -1, stride);
    }

    /** The same window with taps along N and positions along K. */
    public ConvWindow tapsAlongN() {
        return new ConvWindow(TAPS_ALONG_N, channels, height, width, kh, kw, gridH, gridW, step, shift, sign,
                divisor);
    }

    public boolean active() {
        return mode != NONE;
    }

    void writeTo(int[] ints, int first) {
        ints[first + MODE] = mode;
        ints[first + CHANNELS] = channels;
        ints[first + SOURCE_H] = height;
        ints[first + SOURCE_W] = width;
        ints[first + KH] = kh;
        ints[first + KW] = kw;
        ints[first + GRID_H] = gridH;
        ints[first + GRID_W] = gridW;
        ints[first + STEP] = step;
        ints[first + SHIFT] = shift;
        ints[first + SIGN] = sign;
        ints[first + DIVISOR] = divisor;
    }

    /** The heap offset of position q's image in the source tensor at {@code source}, -1 for q outside [0, end). */
    static int positionImage(IntArray ip, int source, int q, int end) {
        int image = -1;
        if (q < end) {
            int n = q / (ip.get(GemmArgs.WINDOW + GRID_H) * ip.get(GemmArgs.WINDOW + GRID_W));
            int plane = ip.get(GemmArgs.WINDOW + SOURCE_H) * ip.get(GemmArgs.WINDOW + SOURCE_W);
            image = source + n * ip.get(GemmArgs.WINDOW + CHANNELS) * plane;
        }
        return image;
    }

    /** Position q's source row before the tap: u*step + shift (0 for q outside [0, end)). */
    static int positionRow(IntArray ip, int q, int end) {
        int row = 0;
        if (q < end) {
            int gridW = ip.get(GemmArgs.WINDOW + GRID_W);
            int u = (q % (ip.get(GemmArgs.WINDOW + GRID_H) * gridW)) / gridW;
            row = u * ip.get(GemmArgs.WINDOW + STEP) + ip.get(GemmArgs.WINDOW + SHIFT);
        }
        return row;
    }

    /** Position q's source column before the tap: v*step + shift (0 for q outside [0, end)). */
    static int positionColumn(IntArray ip, int q, int end) {
        int column = 0;
        if (q < end) {
            column = (q % ip.get(GemmArgs.WINDOW + GRID_W)) * ip.get(GemmArgs.WINDOW + STEP) + ip.get(GemmArgs.WINDOW + SHIFT);
        }
        return column;
    }

    /** Tap t's channel: t / (KH*KW). */
    static int tapChannel(IntArray ip, int tap) {
        return tap / (ip.get(GemmArgs.WINDOW + KH) * ip.get(GemmArgs.WINDOW + KW));
    }

    /** Tap t's filter row dy. */
    static int tapRow(IntArray ip, int tap) {
        int kw = ip.get(GemmArgs.WINDOW + KW);
        return (tap % (ip.get(GemmArgs.WINDOW + KH) * kw)) / kw;
    }

    /** Tap t's filter column dx. */
    static int tapColumn(IntArray ip, int tap) {
        return tap % ip.get(GemmArgs.WINDOW + KW);
    }

    /**
     * The heap offset of window element (tap, position) for a position split as (image offset, row,
     * column) and a tap as (channel, dy, dx) by the helpers above; -1 (a zero) for an image of -1, a
     * tap not {@code inside} the GEMM, or a source row or column outside the source or not a multiple
     * of the divisor.
     */
    static int offset(IntArray ip, int image, int row, int column, int channel, int dy, int dx, boolean inside) {
        int offset = -1;
        if (image >= 0 && inside) {
            int sign = ip.get(GemmArgs.WINDOW + SIGN);
            int divisor = ip.get(GemmArgs.WINDOW + DIVISOR);
            int height = ip.get(GemmArgs.WINDOW + SOURCE_H);
            int width = ip.get(GemmArgs.WINDOW + SOURCE_W);
            int ty = row + sign * dy;
            int tx = column + sign * dx;
            int sy = ty;
            int sx = tx;
            if (divisor != 1) {
                // Only a strided convolution's input gradient divides: skip two divisions per load elsewhere.
                sy = ty / divisor;
                sx = tx / divisor;
            }
            if (ty >= 0 && tx >= 0 && sy * divisor == ty && sx * divisor == tx && sy < height && sx < width) {
                offset = image + (channel * height + sy) * width + sx;
            }
        }
        return offset;
    }
}
