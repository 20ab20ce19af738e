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
 * <p>Shared ip layout after the element count: x-or-gradInput offset, col offset, C, H, W, KH, KW,
 * OH, OW, stride, padding, nb.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /** col[r, n*P + p] = x[n, c, oh*s - pad + kh, ow*s - pad + kw], 0 outside: one work-item per col element. */
    public static void im2col(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int c = ip.get(3);
            int h = ip.get(4);
            int w = ip.get(5);
            int kh = ip.get(6);
            int kw = ip.get(7);
            int ow = ip.get(9);
            int plane = ip.get(8) * ow;
            int columns = ip.get(12) * plane;
            int r = i / columns;
            int q = i - r * columns;
            int n = q / plane;
            int p = q - n * plane;
            int ch = r / (kh * kw);
            int kk = r - ch * kh * kw;
            int dy = kk / kw;
            int dx = kk - dy * kw;
            int y = (p / ow) * ip.get(10) - ip.get(11) + dy;
            int x = (p % ow) * ip.get(10) - ip.get(11) + dx;
            float v = 0f;
            if (y >= 0 && y < h && x >= 0 && x < w) {
                v = heap.get(ip.get(1) + ((n * c + ch) * h + y) * w + x);
            }
            heap.set(ip.get(2) + i, v);
        }
    }

    /**
     * The adjoint of im2col as a gather, so no two work-items write the same element:
     * gradInput[n, c, y, x] = sum over (kh, kw) that reach (y, x) of colGrad[r, n*P + oh*OW + ow].
     * One work-item per gradInput element (count nb*C*H*W), overwritten.
     */
    public static void col2im(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int c = ip.get(3);
            int h = ip.get(4);
            int w = ip.get(5);
            int kh = ip.get(6);
            int kw = ip.get(7);
            int oh = ip.get(8);
            int ow = ip.get(9);
            int stride = ip.get(10);
            int pad = ip.get(11);
            int plane = oh * ow;
            int columns = ip.get(12) * plane;
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
                            sum += heap.get(ip.get(2) + r * columns + n * plane + (ty / stride) * ow + tx / stride);
                        }
                    }
                }
            }
            heap.set(ip.get(1) + i, sum);
        }
    }
}
