package dev.vgg4j.tck;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Central differences {@code (L(x + h e_i) - L(x - h e_i)) / 2h} of a scalar function computed in
 * double, at a sample of coordinates so that large tensors stay cheap. With h = 1e-4 the truncation
 * error (h^2) and the cancellation error (1e-16 / h) are both far below float32 resolution.
 */
public final class NumericalGradient {
    public static final double STEP = 1e-4;

    private NumericalGradient() {}

    /** dL/dx at {@code indices}; {@code x} is perturbed in place and restored. */
    public static double[] at(ToDoubleFunction<double[]> loss, double[] x, int[] indices) {
        double[] grad = new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            double saved = x[i];
            x[i] = saved + STEP;
            double plus = loss.applyAsDouble(x);
            x[i] = saved - STEP;
            double minus = loss.applyAsDouble(x);
            x[i] = saved;
            grad[j] = (plus - minus) / (2 * STEP);
        }
        return grad;
    }

    /** {@code count} distinct coordinates of {@code 0..size-1} (all of them when size <= count), in order. */
    public static int[] sample(int size, int count, SplittableRandom random) {
        if (size <= count) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        return random.ints(0, size).distinct().limit(count).sorted().toArray();
    }

    /** The elements of {@code values} at {@code indices}. */
    public static float[] pick(float[] values, int[] indices) {
        float[] out = new float[indices.length];
        for (int j = 0; j < indices.length; j++) {
            out[j] = values[indices[j]];
        }
        return out;
    }

    /** {@code sum_i weights[i] * values[i]}: projecting an output on random weights makes a scalar loss. */
    public static double project(double[] values, double[] weights) {
        double s = 0.0;
        for (int i = 0; i < values.length; i++) {
            s += values[i] * weights[i];
        }
        return s;
    }
}
