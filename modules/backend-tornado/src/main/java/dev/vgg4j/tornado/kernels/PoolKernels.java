package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** MaxPool2d(2, 2), floor mode, and AdaptiveAvgPool2d over x [N, C, H, W] and y [N, C, OH, OW]. */
public final class PoolKernels {
    private PoolKernels() {}

    /**
     * Both directions of both pools: {@code count} work-items (outputs forward, gradX elements
     * backward), the max pool's argmax tensor (-1 for the average pool), the input plane H x W and
     * the output plane OH x OW. Forward reads x and writes y; backward reads gradY and writes gradX.
     */
    public record PoolArgs(int count, int from, int to, int argmax, int h, int w, int oh, int ow)
            implements LaunchArgs.Elementwise {
        public static final int FROM = 1;
        public static final int TO = 2;
        public static final int ARGMAX = 3;
        public static final int H = 4;
        public static final int W = 5;
        public static final int OH = 6;
        public static final int OW = 7;

        @Override
        public int[] ints() {
            int[] ip = new int[8];
            ip[COUNT] = count;
            ip[FROM] = from;
            ip[TO] = to;
            ip[ARGMAX] = argmax;
            ip[H] = h;
            ip[W] = w;
            ip[OH] = oh;
            ip[OW] = ow;
            return ip;
        }
    }

    /**
     * One work-item per output: the maximum of its 2x2 window (from = x, to = y), argmax = dy*2 + dx;
     * ties keep the first, a NaN wins and stays.
     */
    public static void maxPoolForward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(PoolArgs.COUNT)) {
            int w = ip.get(PoolArgs.W);
            int oh = ip.get(PoolArgs.OH);
            int ow = ip.get(PoolArgs.OW);
            int ox = i % ow;
            int oy = (i / ow) % oh;
            int plane = i / (ow * oh);
            int base = ip.get(PoolArgs.FROM) + (plane * ip.get(PoolArgs.H) + oy * 2) * w + ox * 2;
            float best = heap.get(base);
            int arg = 0;
            for (int k = 1; k < 4; k++) {
                float v = heap.get(base + (k / 2) * w + (k % 2));
                if (best == best && (v > best || v != v)) {
                    best = v;
                    arg = k;
                }
            }
            heap.set(ip.get(PoolArgs.TO) + i, best);
            heap.set(ip.get(PoolArgs.ARGMAX) + i, arg);
        }
    }

    /**
     * One work-item per gradX element (from = gradY, to = gradX): gradY of its window when it was
     * that window's argmax, else 0 (also for the row/column floor mode drops).
     */
    public static void maxPoolBackward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(PoolArgs.COUNT)) {
            int h = ip.get(PoolArgs.H);
            int w = ip.get(PoolArgs.W);
            int oh = ip.get(PoolArgs.OH);
            int ow = ip.get(PoolArgs.OW);
            int x = i % w;
            int y = (i / w) % h;
            int plane = i / (w * h);
            float g = 0f;
            if (y / 2 < oh && x / 2 < ow) {
                int o = (plane * oh + y / 2) * ow + x / 2;
                if ((int) heap.get(ip.get(PoolArgs.ARGMAX) + o) == (y % 2) * 2 + (x % 2)) {
                    g = heap.get(ip.get(PoolArgs.FROM) + o);
                }
            }
            heap.set(ip.get(PoolArgs.TO) + i, g);
        }
    }

    /**
     * One work-item per output: the mean of its window, rows {@code floor(oy*H/OH) ..
     * ceil((oy+1)*H/OH) - 1} and columns likewise (PyTorch's AdaptiveAvgPool2d). From x, to y.
     */
    public static void adaptiveAvgPoolForward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(PoolArgs.COUNT)) {
            int h = ip.get(PoolArgs.H);
            int w = ip.get(PoolArgs.W);
            int oh = ip.get(PoolArgs.OH);
            int ow = ip.get(PoolArgs.OW);
            int ox = i % ow;
            int oy = (i / ow) % oh;
            int plane = i / (ow * oh);
            int top = oy * h / oh;
            int bottom = ((oy + 1) * h + oh - 1) / oh;
            int left = ox * w / ow;
            int right = ((ox + 1) * w + ow - 1) / ow;
            int base = ip.get(PoolArgs.FROM) + plane * h * w;
            float sum = 0f;
            for (int r = top; r < bottom; r++) {
                for (int c = left; c < right; c++) {
                    sum += heap.get(base + r * w + c);
                }
            }
            heap.set(ip.get(PoolArgs.TO) + i, sum / ((bottom - top) * (right - left)));
        }
    }

    /**
     * One work-item per gradX element (overwritten): the sum of gradY / window area over the outputs
     * whose windows hold it, rows {@code floor(y*OH/H) .. ceil((y+1)*OH/H) - 1} and columns
     * likewise, so no two work-items write the same element. From = gradY, to = gradX.
     */
    public static void adaptiveAvgPoolBackward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(PoolArgs.COUNT)) {
            int h = ip.get(PoolArgs.H);
            int w = ip.get(PoolArgs.W);
            int oh = ip.get(PoolArgs.OH);
            int ow = ip.get(PoolArgs.OW);
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
                    g += heap.get(ip.get(PoolArgs.FROM) + (plane * oh + oy) * ow + ox) / (rows * columns);
                }
            }
            heap.set(ip.get(PoolArgs.TO) + i, g);
        }
    }
}
