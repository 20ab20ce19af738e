package dev.vgg4j.backend.reference;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.AdaptivePoolWindow;
import dev.vgg4j.spi.HeapTensor;

/** AdaptiveAvgPool2d: window means in double, and their adjoint scattered back in double. */
final class ReferenceAdaptiveAvgPool {
    private ReferenceAdaptiveAvgPool() {}

    /** One window: input rows {@code top..bottom-1} and columns {@code left..right-1} of a plane, and its output. */
    private interface Window {
        void visit(int plane, int output, int top, int bottom, int left, int right);
    }

    /** Every window of an input {@code [N, C, H, W]} pooled to {@code [N, C, OH, OW]}, outputs in order. */
    private static void forEachWindow(Shape in, Shape out, Window body) {
        int output = 0;
        for (int p = 0; p < in.n() * in.c(); p++) {
            for (int i = 0; i < out.h(); i++) {
                for (int j = 0; j < out.w(); j++) {
                    body.visit(p, output++, AdaptivePoolWindow.start(i, in.h(), out.h()),
                            AdaptivePoolWindow.end(i, in.h(), out.h()), AdaptivePoolWindow.start(j, in.w(), out.w()),
                            AdaptivePoolWindow.end(j, in.w(), out.w()));
                }
            }
        }
    }

    /** x [N, C, H, W] -> y [N, C, OH, OW]: each output the mean of its window. */
    static void forward(HeapTensor x, HeapTensor y) {
        int h = x.shape().h();
        int w = x.shape().w();
        forEachWindow(x.shape(), y.shape(), (plane, output, top, bottom, left, right) -> {
            double sum = 0.0;
            for (int r = top; r < bottom; r++) {
                for (int c = left; c < right; c++) {
                    sum += x.data()[x.offset() + (plane * h + r) * w + c];
                }
            }
            y.data()[y.offset() + output] = (float) (sum / ((bottom - top) * (right - left)));
        });
    }

    /** gradY [N, C, OH, OW] -> gradX [N, C, H, W]: each gradY / window area added to every element of its window. */
    static void backward(HeapTensor gradY, HeapTensor gradX) {
        int h = gradX.shape().h();
        int w = gradX.shape().w();
        double[] sums = new double[gradX.size()];
        forEachWindow(gradX.shape(), gradY.shape(), (plane, output, top, bottom, left, right) -> {
            double share = (double) gradY.data()[gradY.offset() + output] / ((bottom - top) * (right - left));
            for (int r = top; r < bottom; r++) {
                for (int c = left; c < right; c++) {
                    sums[(plane * h + r) * w + c] += share;
                }
            }
        });
        for (int i = 0; i < sums.length; i++) {
            gradX.data()[gradX.offset() + i] = (float) sums[i];
        }
    }
}
