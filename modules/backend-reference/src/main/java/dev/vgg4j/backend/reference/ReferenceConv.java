package dev.vgg4j.backend.reference;

import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.HeapTensor;
import java.util.Arrays;

/**
 * Direct 2-D convolution (no im2col), so that it shares no algorithm with the fast backends. Each
 * kernel accumulates one output plane in double, walking rows of contiguous memory.
 */
final class ReferenceConv {
    private ReferenceConv() {}

    /** input [N, C, H, W] * weight [F, C, KH, KW] + bias [F] (or null) -> output [N, F, OH, OW]. */
    static void forward(HeapTensor input, HeapTensor weight, HeapTensor bias, Conv2dSpec spec, HeapTensor output) {
        Geometry g = new Geometry(input, weight, output);
        float[] x = input.data();
        float[] w = weight.data();
        float[] y = output.data();
        double[] plane = new double[g.oh * g.ow];
        for (int n = 0; n < g.n; n++) {
            for (int f = 0; f < g.f; f++) {
                Arrays.fill(plane, bias == null ? 0.0 : bias.data()[bias.offset() + f]);
                for (int c = 0; c < g.c; c++) {
                    int xPlane = input.offset() + (n * g.c + c) * g.h * g.w;
                    for (int kh = 0; kh < g.kh; kh++) {
                        for (int kw = 0; kw < g.kw; kw++) {
                            double wv = w[weight.offset() + ((f * g.c + c) * g.kh + kh) * g.kw + kw];
                            for (int oh = 0; oh < g.oh; oh++) {
                                int ih = oh * spec.stride() - spec.padding() + kh;
                                if (ih < 0 || ih >= g.h) {
                                    continue;
                                }
                                for (int ow = 0; ow < g.ow; ow++) {
                                    int iw = ow * spec.stride() - spec.padding() + kw;
                                    if (iw >= 0 && iw < g.w) {
                                        plane[oh * g.ow + ow] += wv * x[xPlane + ih * g.w + iw];
                                    }
                                }
                            }
                        }
                    }
                }
                store(plane, y, output.offset() + (n * g.f + f) * g.oh * g.ow);
            }
        }
    }

    /** gradOutput [N, F, OH, OW] scattered back through weight [F, C, KH, KW] -> gradInput [N, C, H, W]. */
    static void backwardInput(HeapTensor gradOutput, HeapTensor weight, Conv2dSpec spec, HeapTensor gradInput) {
        Geometry g = new Geometry(gradInput, weight, gradOutput);
        float[] gy = gradOutput.data();
        float[] w = weight.data();
        float[] gx = gradInput.data();
        double[] plane = new double[g.h * g.w];
        for (int n = 0; n < g.n; n++) {
            for (int c = 0; c < g.c; c++) {
                Arrays.fill(plane, 0.0);
                for (int f = 0; f < g.f; f++) {
                    int gyPlane = gradOutput.offset() + (n * g.f + f) * g.oh * g.ow;
                    for (int kh = 0; kh < g.kh; kh++) {
                        for (int kw = 0; kw < g.kw; kw++) {
                            double wv = w[weight.offset() + ((f * g.c + c) * g.kh + kh) * g.kw + kw];
                            for (int oh = 0; oh < g.oh; oh++) {
                                int ih = oh * spec.stride() - spec.padding() + kh;
                                if (ih < 0 || ih >= g.h) {
                                    continue;
                                }
                                for (int ow = 0; ow < g.ow; ow++) {
                                    int iw = ow * spec.stride() - spec.padding() + kw;
                                    if (iw >= 0 && iw < g.w) {
                                        plane[ih * g.w + iw] += wv * gy[gyPlane + oh * g.ow + ow];
                                    }
                                }
                            }
                        }
                    }
                }
                store(plane, gx, gradInput.offset() + (n * g.c + c) * g.h * g.w);
            }
        }
    }

    /**
     * gradWeight [F, C, KH, KW] = sum over n, oh, ow of gradOutput [N, F, OH, OW] times the input
     * [N, C, H, W] pixel under each tap; gradBias [F] (or null) = sum of gradOutput per filter.
     */
    static void backwardWeight(HeapTensor input, HeapTensor gradOutput, Conv2dSpec spec,
                               HeapTensor gradWeight, HeapTensor gradBias) {
        Geometry g = new Geometry(input, gradWeight, gradOutput);
        float[] x = input.data();
        float[] gy = gradOutput.data();
        float[] gw = gradWeight.data();
        for (int f = 0; f < g.f; f++) {
            for (int c = 0; c < g.c; c++) {
                for (int kh = 0; kh < g.kh; kh++) {
                    for (int kw = 0; kw < g.kw; kw++) {
                        double sum = 0.0;
                        for (int n = 0; n < g.n; n++) {
                            int xPlane = input.offset() + (n * g.c + c) * g.h * g.w;
                            int gyPlane = gradOutput.offset() + (n * g.f + f) * g.oh * g.ow;
                            for (int oh = 0; oh < g.oh; oh++) {
                                int ih = oh * spec.stride() - spec.padding() + kh;
                                if (ih < 0 || ih >= g.h) {
                                    continue;
                                }
                                for (int ow = 0; ow < g.ow; ow++) {
                                    int iw = ow * spec.stride() - spec.padding() + kw;
                                    if (iw >= 0 && iw < g.w) {
                                        sum += (double) gy[gyPlane + oh * g.ow + ow] * x[xPlane + ih * g.w + iw];
                                    }
                                }
                            }
                        }
                        gw[gradWeight.offset() + ((f * g.c + c) * g.kh + kh) * g.kw + kw] = (float) sum;
                    }
                }
            }
            if (gradBias != null) {
                double sum = 0.0;
                for (int n = 0; n < g.n; n++) {
                    int gyPlane = gradOutput.offset() + (n * g.f + f) * g.oh * g.ow;
                    for (int i = 0; i < g.oh * g.ow; i++) {
                        sum += gy[gyPlane + i];
                    }
                }
                gradBias.data()[gradBias.offset() + f] = (float) sum;
            }
        }
    }

    private static void store(double[] plane, float[] dst, int at) {
        for (int i = 0; i < plane.length; i++) {
            dst[at + i] = (float) plane[i];
        }
    }

    /** The sizes of one convolution, read from its image [N, C, H, W], weight [F, C, KH, KW] and output [N, F, OH, OW]. */
    private record Geometry(int n, int c, int h, int w, int f, int kh, int kw, int oh, int ow) {
        Geometry(HeapTensor image, HeapTensor weight, HeapTensor out) {
            this(image.shape().n(), image.shape().c(), image.shape().h(), image.shape().w(),
                    weight.shape().dim(0), weight.shape().dim(2), weight.shape().dim(3),
                    out.shape().h(), out.shape().w());
        }
    }
}
