package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * MaxPool2d(2, 2), floor mode, and AdaptiveAvgPool2d over x [N, C, H, W] and y [N, C, OH, OW]. ip
 * after the count and the tensors' offsets: H, W, OH, OW.
 */
public final class PoolKernels {
    private PoolKernels() {}

    /**
     * One work-item per output: the maximum of its 2x2 window, argmax = dy*2 + dx; ties keep the
     * first, a NaN wins and stays. ip: count, x, y, argmax, H, W, OH, OW.
     */
    public static void maxPoolForward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int w = ip.get(5);
            int oh = ip.get(6);
            int ow = ip.get(7);
            int ox = i % ow;
            int oy = (i / ow) % oh;
            int plane = i / (ow * oh);
            int base = ip.get(1) + (plane * ip.get(4) + oy * 2) * w + ox * 2;
            float best = heap.get(base);
            int arg = 0;
            for (int k = 1; k < 4; k++) {
                float v = heap.get(base + (k / 2) * w + (k % 2));
                if (best == best && (v > best || v != v)) {
                    best = v;
                    arg = k;
                }
            }
            heap.set(ip.get(2) + i, best);
            heap.set(ip.get(3) + i, arg);
        }
    }

    /**
     * One work-item per gradX element: gradY of its window when it was that window's argmax, else 0
     * (also for the row/column floor mode drops). ip: count, gradY, argmax, gradX, H, W, OH, OW.
     */
    public static void maxPoolBackward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int h = ip.get(4);
            int w = ip.get(5);
            int oh = ip.get(6);
            int ow = ip.get(7);
            int x = i % w;
            int y = (i / w) % h;
            int plane = i / (w * h);
            float g = 0f;
            if (y / 2 < oh && x / 2 < ow) {
                int o = (plane * oh + y / 2) * ow + x / 2;
                if ((int) heap.get(ip.get(2) + o) == (y % 2) * 2 + (x % 2)) {
                    g = heap.get(ip.get(1) + o);
                }
            }
            heap.set(ip.get(3) + i, g);
        }
    }

    /**
     * One work-item per output: the mean of its window, rows {@code floor(oy*H/OH) ..
     * ceil((oy+1)*H/OH) - 1} and columns likewise (PyTorch's AdaptiveAvgPool2d). ip: count, x, y,
     * H, W, OH, OW.
     */
    public static void adaptiveAvgPoolForward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int h = ip.get(3);
            int w = ip.get(4);
            int oh = ip.get(5);
            int ow = ip.get(6);
            int ox = i % ow;
            int oy = (i / ow) % oh;
            int plane = i / (ow * oh);
            int top = oy * h / oh;
            int bottom = ((oy + 1) * h + oh - 1) / oh;
            int left = ox * w / ow;
            int right = ((ox + 1) * w + ow - 1) / ow;
            int base = ip.get(1) + plane * h * w;
            float sum = 0f;
            for (int r = top; r < bottom; r++) {
                for (int c = left; c < right; c++) {
                    sum += heap.get(base + r * w + c);
                }
            }
            heap.set(ip.get(2) + i, sum / ((bottom - top) * (right - left)));
        }
    }

    /**
     * One work-item per gradX element (overwritten): the sum of gradY / window area over the outputs
     * whose windows hold it, rows {@code floor(y*OH/H) .. ceil((y+1)*OH/H) - 1} and columns
     * likewise, so no two work-items write the same element. ip: count, gradY, gradX, H, W, OH, OW.
     */
    public static void adaptiveAvgPoolBackward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            int h = ip.get(3);
            int w = ip.get(4);
            int oh = ip.get(5);
            int ow = ip.get(6);
            int x = i % w;
            int y = (i / w) % h;
            int plane = i / (w * h);
            int firstRow = y * oh / h;
            int endRow = ((y + 1) * oh + h - 1) / h;
            int firstColumn = x * ow / w;
            int endColumn = ((x + 1) * ow + w - 1) / w;
            float g = 0f;
            for (int oy = firstRow; oy < endRow; oy++) {
                int rows = ((oy + 1) * h + oh - 1) / oh - oy * h / oh;
                for (int ox = firstColumn; ox < endColumn; ox++) {
                    int columns = ((ox + 1) * w + ow - 1) / ow - ox * w / ow;
                    g += heap.get(ip.get(1) + (plane * oh + oy) * ow + ox) / (rows * columns);
                }
            }
            heap.set(ip.get(2) + i, g);
        }
    }
}
