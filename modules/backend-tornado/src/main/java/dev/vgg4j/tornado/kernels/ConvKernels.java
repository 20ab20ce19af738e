package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The layout changes around a convolution's GEMMs, for a chunk of {@code nb} images. The column
 * matrix is {@code col [C*KH*KW, nb*P]} with {@code P = OH*OW}: row {@code r = (c*KH + kh)*KW + kw},
 * column {@code n*P + oh*OW + ow}. Images side by side in the columns let one GEMM with
 * {@code K = nb*P} reduce the weight gradient over the whole chunk.
 *
 * <p>Parameters of both: {@link ColumnArgs}.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /**
     * A chunk of {@code images} images: the image tensor (x for im2col, gradInput for col2im) [nb, C,
     * H, W], the column matrix, the kernel KH x KW, the output plane OH x OW, stride and padding.
     * {@code count} is the column matrix's size for im2col and the image tensor's for col2im.
     */
    public record ColumnArgs(int count, int image, int columns, int c, int h, int w, int kh, int kw, int oh, int ow,
                             int stride, int padding, int images) implements LaunchArgs.Elementwise {
        public static final int IMAGE = 1;
        public static final int COLUMNS = 2;
        public static final int C = 3;
        public static final int H = 4;
        public static final int W = 5;
        public static final int KH = 6;
        public static final int KW = 7;
        public static final int OH = 8;
        public static final int OW = 9;
        public static final int STRIDE = 10;
        public static final int PADDING = 11;
        public static final int IMAGES = 12;

        @Override
        public int[] ints() {
            int[] ip = new int[13];
            ip[COUNT] = count;
            ip[IMAGE] = image;
            ip[COLUMNS] = columns;
            ip[C] = c;
            ip[H] = h;
            ip[W] = w;
            ip[KH] = kh;
            ip[KW] = kw;
            ip[OH] = oh;
            ip[OW] = ow;
            ip[STRIDE] = stride;
            ip[PADDING] = padding;
            ip[IMAGES] = images;
            return ip;
        }
    }

    /** col[r, n*P + p] = x[n, c, oh*s - pad + kh, ow*s - pad + kw], 0 outside: one work-item per col element. */
    public static void im2col(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(ColumnArgs.COUNT)) {
            int c = ip.get(ColumnArgs.C);
            int h = ip.get(ColumnArgs.H);
            int w = ip.get(ColumnArgs.W);
            int kh = ip.get(ColumnArgs.KH);
            int kw = ip.get(ColumnArgs.KW);
            int ow = ip.get(ColumnArgs.OW);
            int plane = ip.get(ColumnArgs.OH) * ow;
            int columns = ip.get(ColumnArgs.IMAGES) * plane;
            int r = i / columns;
            int q = i - r * columns;
            int n = q / plane;
            int p = q - n * plane;
            int ch = r / (kh * kw);
            int kk = r - ch * kh * kw;
            int dy = kk / kw;
            int dx = kk - dy * kw;
            int y = (p / ow) * ip.get(ColumnArgs.STRIDE) - ip.get(ColumnArgs.PADDING) + dy;
            int x = (p % ow) * ip.get(ColumnArgs.STRIDE) - ip.get(ColumnArgs.PADDING) + dx;
            float v = 0f;
            if (y >= 0 && y < h && x >= 0 && x < w) {
                v = heap.get(ip.get(ColumnArgs.IMAGE) + ((n * c + ch) * h + y) * w + x);
            }
            heap.set(ip.get(ColumnArgs.COLUMNS) + i, v);
        }
    }

    /**
     * The adjoint of im2col as a gather, so no two work-items write the same element:
     * gradInput[n, c, y, x] = sum over (kh, kw) that reach (y, x) of colGrad[r, n*P + oh*OW + ow].
     * One work-item per gradInput element (count nb*C*H*W), overwritten.
     */
    public static void col2im(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(ColumnArgs.COUNT)) {
            int c = ip.get(ColumnArgs.C);
            int h = ip.get(ColumnArgs.H);
            int w = ip.get(ColumnArgs.W);
            int kh = ip.get(ColumnArgs.KH);
            int kw = ip.get(ColumnArgs.KW);
            int oh = ip.get(ColumnArgs.OH);
            int ow = ip.get(ColumnArgs.OW);
            int stride = ip.get(ColumnArgs.STRIDE);
            int pad = ip.get(ColumnArgs.PADDING);
            int plane = oh * ow;
            int columns = ip.get(ColumnArgs.IMAGES) * plane;
            int x = i % w;
            int y = (i / w) % h;
            int ch = (i / (w * h)) % c;
            int n = i / (w * h * c);
            float sum = 0f;
            for (int dy = 0; dy < kh; dy++) {
                int ty = y + pad - dy;
                if (ty >= 0 && ty % stride == 0 && ty / stride < oh) {
                    for (int dx = 0; dx < kw; dx++) {
                        int tx = x + pad - dx;
                        if (tx >= 0 && tx % stride == 0 && tx / stride < ow) {
                            int r = (ch * kh + dy) * kw + dx;
                            sum += heap.get(ip.get(ColumnArgs.COLUMNS) + r * columns + n * plane + (ty / stride) * ow + tx / stride);
                        }
                    }
                }
            }
            heap.set(ip.get(ColumnArgs.IMAGE) + i, sum);
        }
    }
}
