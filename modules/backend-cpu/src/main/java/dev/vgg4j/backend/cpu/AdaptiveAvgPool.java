package dev.vgg4j.backend.cpu;

import dev.vgg4j.spi.AdaptivePoolWindow;

/**
 * {@code AdaptiveAvgPool2d} forward and backward over {@code [planes, H, W]}, groups of planes in
 * parallel. Every output element is computed by one task in a fixed order (the backward gathers
 * from the outputs whose windows hold it instead of scattering), so the result is the same for
 * every thread count. Nothing is allocated per call besides the task lambda.
 */
final class AdaptiveAvgPool {
    /** Window elements read per task: enough that waking a worker pays. */
    private static final int WORK_PER_TASK = 1 << 15;

    private final WorkerPool pool;

    AdaptiveAvgPool(WorkerPool pool) {
        this.pool = pool;
    }

    /** x {@code [planes, H, W]} -> y {@code [planes, OH, OW]}, each the mean of its window. */
    void forward(float[] x, int planes, int h, int w, float[] y, int oh, int ow) {
        int planesPerTask = planesPerTask(h, w, oh, ow);
        pool.parallelFor(tasks(planes, planesPerTask), task -> {
            for (int p = task * planesPerTask, last = Math.min(planes, p + planesPerTask); p < last; p++) {
                int in = p * h * w;
                int out = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int top = AdaptivePoolWindow.start(i, h, oh);
                    int bottom = AdaptivePoolWindow.end(i, h, oh);
                    for (int j = 0; j < ow; j++) {
                        int left = AdaptivePoolWindow.start(j, w, ow);
                        int right = AdaptivePoolWindow.end(j, w, ow);
                        float sum = 0f;
                        for (int r = top; r < bottom; r++) {
                            for (int c = in + r * w + left, end = in + r * w + right; c < end; c++) {
                                sum += x[c];
                            }
                        }
                        y[out + i * ow + j] = sum / ((bottom - top) * (right - left));
                    }
                }
            }
        });
    }

    /**
     * gy {@code [planes, OH, OW]} -> gx {@code [planes, H, W]}, overwritten: each element gathers
     * {@code gy / window area} from the outputs {@code start(r, OH, H) .. end(r, OH, H) - 1} (rows,
     * and the same for columns) whose windows hold it.
     */
    void backward(float[] gy, int planes, int oh, int ow, float[] gx, int h, int w) {
        int planesPerTask = planesPerTask(h, w, oh, ow);
        pool.parallelFor(tasks(planes, planesPerTask), task -> {
            for (int p = task * planesPerTask, last = Math.min(planes, p + planesPerTask); p < last; p++) {
                int in = p * h * w;
                int out = p * oh * ow;
                for (int r = 0; r < h; r++) {
                    int firstRow = AdaptivePoolWindow.start(r, oh, h);
                    int endRow = AdaptivePoolWindow.end(r, oh, h);
                    for (int c = 0; c < w; c++) {
                        int firstColumn = AdaptivePoolWindow.start(c, ow, w);
                        int endColumn = AdaptivePoolWindow.end(c, ow, w);
                        float g = 0f;
                        for (int i = firstRow; i < endRow; i++) {
                            int rows = AdaptivePoolWindow.end(i, h, oh) - AdaptivePoolWindow.start(i, h, oh);
                            for (int j = firstColumn; j < endColumn; j++) {
                                int columns = AdaptivePoolWindow.end(j, w, ow) - AdaptivePoolWindow.start(j, w, ow);
                                g += gy[out + i * ow + j] / (rows * columns);
                            }
                        }
                        gx[in + r * w + c] = g;
                    }
                }
            }
        });
    }

    /**
     * Both passes read fewer than {@code (H + OH) * (W + OW)} elements per plane: the window sizes
     * along an axis add up to less than {@code H + OH}.
     */
    private static int planesPerTask(int h, int w, int oh, int ow) {
        long perPlane = (long) (h + oh) * (w + ow);
        return (int) Math.max(1, WORK_PER_TASK / perPlane);
    }

    private static int tasks(int planes, int planesPerTask) {
        return (planes + planesPerTask - 1) / planesPerTask;
    }
}
