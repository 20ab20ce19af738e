package dev.vgg4j.backend.cpu;

/**
 * {@code MaxPool2d(2, 2)} in floor mode, forward and backward, over {@code [N, C, H, W]} planes in
 * parallel. The window is scanned in the order (0,0), (0,1), (1,0), (1,1); a later value replaces
 * the best only when strictly larger, or NaN over a number: the first maximum (or first NaN) wins.
 */
final class MaxPool {
    private final WorkerPool pool;

    MaxPool(WorkerPool pool) {
        this.pool = pool;
    }

    /** x {@code [planes, H, W]} into y and argmax {@code [planes, H/2, W/2]}; argmax holds {@code dy*2+dx}. */
    void forward(float[] x, int planes, int h, int w, float[] y, float[] argmax) {
        int oh = h / 2;
        int ow = w / 2;
        pool.parallelFor(planes, plane -> {
            int in = plane * h * w;
            int out = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int top = in + 2 * i * w;
                int bottom = top + w;
                for (int j = 0; j < ow; j++) {
                    float best = x[top + 2 * j];
                    int arg = 0;
                    float v = x[top + 2 * j + 1];
                    if (beats(v, best)) {
                        best = v;
                        arg = 1;
                    }
                    v = x[bottom + 2 * j];
                    if (beats(v, best)) {
                        best = v;
                        arg = 2;
                    }
                    v = x[bottom + 2 * j + 1];
                    if (beats(v, best)) {
                        best = v;
                        arg = 3;
                    }
                    y[out + i * ow + j] = best;
                    argmax[out + i * ow + j] = arg;
                }
            }
        });
    }

    private static boolean beats(float v, float best) {
        return v > best || (Float.isNaN(v) && !Float.isNaN(best));
    }

    /** gy {@code [planes, H/2, W/2]} to the argmax position in gx {@code [planes, H, W]}; the rest of gx is 0. */
    void backward(float[] gy, float[] argmax, int planes, int h, int w, float[] gx) {
        int oh = h / 2;
        int ow = w / 2;
        pool.parallelFor(planes, plane -> {
            int in = plane * h * w;
            int out = plane * oh * ow;
            java.util.Arrays.fill(gx, in, in + h * w, 0f);
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int arg = (int) argmax[out + i * ow + j];
                    gx[in + (2 * i + (arg >> 1)) * w + 2 * j + (arg & 1)] = gy[out + i * ow + j];
                }
            }
        });
    }
}
