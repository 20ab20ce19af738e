package dev.vgg4j.backend.cpu;

import java.util.Arrays;

/**
 * Unfolding of convolution windows into a matrix and its adjoint. For {@code chunk} images starting
 * at image {@code n0} of {@code x [N, C, H, W]}, the column matrix is
 * {@code cols [C*KH*KW, chunk*OH*OW]} with row {@code (c*KH + kh)*KW + kw} and column
 * {@code j*OH*OW + oh*OW + ow} holding {@code x[n0+j, c, oh*s - p + kh, ow*s - p + kw]} (0 outside).
 * Both directions split over input channels, so threads never write the same element.
 */
record Im2col(int channels, int height, int width, int kh, int kw, int stride, int padding, int outH, int outW) {

    int rows() {
        return channels * kh * kw;
    }

    int positions() {
        return outH * outW;
    }

    /** Fills the rows of channel {@code c} of {@code cols} from images {@code n0 .. n0+chunk}. */
    void unfold(float[] x, int n0, int chunk, int c, float[] cols) {
        int plane = height * width;
        int rowLength = chunk * positions();
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int row = ((c * kh + i) * kw + j) * rowLength;
                int owLo = firstValid(j, width);
                int owHi = lastValid(j, width);
                for (int img = 0; img < chunk; img++) {
                    int src = ((n0 + img) * channels + c) * plane;
                    int dstImg = row + img * positions();
                    for (int oh = 0; oh < outH; oh++) {
                        int ih = oh * stride - padding + i;
                        int dst = dstImg + oh * outW;
                        if (ih < 0 || ih >= height || owLo >= owHi) {
                            Arrays.fill(cols, dst, dst + outW, 0f);
                            continue;
                        }
                        Arrays.fill(cols, dst, dst + owLo, 0f);
                        int srcRow = src + ih * width - padding + j;
                        if (stride == 1) {
                            System.arraycopy(x, srcRow + owLo, cols, dst + owLo, owHi - owLo);
                        } else {
                            for (int ow = owLo; ow < owHi; ow++) {
                                cols[dst + ow] = x[srcRow + ow * stride];
                            }
                        }
                        Arrays.fill(cols, dst + owHi, dst + outW, 0f);
                    }
                }
            }
        }
    }

    /** Adds the rows of channel {@code c} of {@code cols} back into images {@code n0 .. n0+chunk} of {@code gx}. */
    void fold(float[] cols, int n0, int chunk, int c, float[] gx) {
        int plane = height * width;
        int rowLength = chunk * positions();
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int row = ((c * kh + i) * kw + j) * rowLength;
                int owLo = firstValid(j, width);
                int owHi = lastValid(j, width);
                if (owLo >= owHi) {
                    continue;
                }
                for (int img = 0; img < chunk; img++) {
                    int dstPlane = ((n0 + img) * channels + c) * plane;
                    int srcImg = row + img * positions();
                    for (int oh = 0; oh < outH; oh++) {
                        int ih = oh * stride - padding + i;
                        if (ih < 0 || ih >= height) {
                            continue;
                        }
                        int src = srcImg + oh * outW;
                        int dstRow = dstPlane + ih * width - padding + j;
                        if (stride == 1) {
                            Elementwise.axpy(1f, cols, src + owLo, gx, dstRow + owLo, owHi - owLo);
                        } else {
                            for (int ow = owLo; ow < owHi; ow++) {
                                gx[dstRow + ow * stride] += cols[src + ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Smallest ow with {@code 0 <= ow*stride - padding + j}. */
    private int firstValid(int j, int size) {
        int lo = Math.max(0, ceilDiv(padding - j, stride));
        return Math.min(lo, outW);
    }

    /** One past the largest ow with {@code ow*stride - padding + j < size}. */
    private int lastValid(int j, int size) {
        int hi = Math.floorDiv(size - 1 + padding - j, stride) + 1;
        return Math.max(0, Math.min(hi, outW));
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
