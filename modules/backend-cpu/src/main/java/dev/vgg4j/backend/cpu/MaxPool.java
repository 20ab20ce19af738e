package dev.vgg4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code MaxPool2d(2, 2)} in floor mode, forward and backward, over {@code [N, C, H, W]} planes in
 * parallel. The window is scanned in the order (0,0), (0,1), (1,0), (1,1); a later value replaces
 * the best only when strictly larger, or NaN over a number: the first maximum (or first NaN) wins.
 * The forward takes VL windows of a row at a time: two vectors of each input row split into their
 * even and odd columns give the four candidates lane by lane, compared without branches (random
 * activations make the scalar comparisons' branches unpredictable).
 */
final class MaxPool {
    private static final VectorSpecies<Float> S = MicroKernel.SPECIES;
    private static final int VL = S.length();
    /** Lanes 0, 2, 4, ... and 1, 3, 5, ... of two vectors side by side (indices past VL take the second). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);
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
                int row = out + i * ow;
                int j = 0;
                for (; j + VL <= ow; j += VL) {
                    FloatVector t0 = FloatVector.fromArray(S, x, top + 2 * j);
                    FloatVector t1 = FloatVector.fromArray(S, x, top + 2 * j + VL);
                    FloatVector b0 = FloatVector.fromArray(S, x, bottom + 2 * j);
                    FloatVector b1 = FloatVector.fromArray(S, x, bottom + 2 * j + VL);
                    FloatVector best = t0.rearrange(EVEN, t1);
                    FloatVector arg = FloatVector.zero(S);
                    for (int k = 1; k < 4; k++) {
                        FloatVector v = switch (k) {
                            case 1 -> t0.rearrange(ODD, t1);
                            case 2 -> b0.rearrange(EVEN, b1);
                            default -> b0.rearrange(ODD, b1);
                        };
                        VectorMask<Float> wins = v.compare(VectorOperators.GT, best)
                                .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
                        best = best.blend(v, wins);
                        arg = arg.blend(k, wins);
                    }
                    best.intoArray(y, row + j);
                    arg.intoArray(argmax, row + j);
                }
                for (; j < ow; j++) {
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
                    y[row + j] = best;
                    argmax[row + j] = arg;
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
