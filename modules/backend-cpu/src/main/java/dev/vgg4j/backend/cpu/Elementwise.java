package dev.vgg4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Vectorized loops over flat float ranges: the helpers every layer kernel builds on. */
final class Elementwise {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Elementwise() {}

    /** {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < n}. */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).fma(a, FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** {@code t[off + i] = t[off + i] * alpha + shift} for {@code i < n}. */
    static void scaleShift(float[] t, int off, int n, float alpha, float shift) {
        scaleShift(t, off, t, off, n, alpha, shift);
    }

    /** {@code y[yOff + i] = x[xOff + i] * alpha + shift} for {@code i < n}. */
    static void scaleShift(float[] x, int xOff, float[] y, int yOff, int n, float alpha, float shift) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).fma(alpha, shift).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(x[xOff + i], alpha, shift);
        }
    }

    /** {@code t[off + i] += value} for {@code i < n}. */
    static void addScalar(float[] t, int off, int n, float value) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, t, off + i).add(value).intoArray(t, off + i);
        }
        for (; i < n; i++) {
            t[off + i] += value;
        }
    }

    /** {@code sum_i x[off + i]}: lanes accumulate in float and are added by {@link #laneSum}, the tail in double. */
    static double sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        double s = laneSum(acc);
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    /** {@code sum_i (x[off + i] - mean)^2}. */
    static double squaredDeviation(float[] x, int off, int n, float mean) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mean);
            acc = d.fma(d, acc);
        }
        double s = laneSum(acc);
        for (; i < n; i++) {
            double d = x[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    /** {@code sum_i g[gOff + i] * (x[xOff + i] - mean)}. */
    static double dotCentered(float[] g, int gOff, float[] x, int xOff, int n, float mean) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, x, xOff + i).sub(mean).fma(FloatVector.fromArray(S, g, gOff + i), acc);
        }
        double s = laneSum(acc);
        for (; i < n; i++) {
            s += (double) g[gOff + i] * (x[xOff + i] - mean);
        }
        return s;
    }

    /**
     * {@code FOLDS[j]} moves lane {@code i + L/2^(j+1)} to lane {@code i} ({@code L} lanes): adding it
     * halves the lanes that still matter, in an order fixed here. There is one fold per factor 2 of L.
     */
    private static final VectorShuffle<Float>[] FOLDS = folds();
    /** Lanes left after the folds: 1, unless L has an odd factor (a 384-bit SVE vector has 12 lanes). */
    private static final int FOLDED_LANES = S.length() >> FOLDS.length;

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int steps = Integer.numberOfTrailingZeros(S.length());
        VectorShuffle<Float>[] folds = new VectorShuffle[steps];
        for (int j = 0; j < steps; j++) {
            int half = S.length() >> (j + 1);
            folds[j] = VectorShuffle.fromOp(S, i -> (i + half) % S.length());
        }
        return folds;
    }

    /**
     * The lanes of {@code acc} added in a fixed tree: the folds, then the lanes left in lane order.
     * Not {@code reduceLanes(ADD)}: it may add lanes in any order, and the interpreter's fallback and
     * the C2 intrinsic do differ, so a sum would change once the caller is compiled and a training
     * run would not repeat bit for bit.
     */
    private static float laneSum(FloatVector acc) {
        for (VectorShuffle<Float> fold : FOLDS) {
            acc = acc.add(acc.rearrange(fold));
        }
        float s = acc.lane(0);
        for (int i = 1; i < FOLDED_LANES; i++) {
            s += acc.lane(i);
        }
        return s;
    }

    /** {@code out[i] = a[aOff + i] * ka + b[bOff + i] * kb + k0}. */
    static void linearCombination(float[] a, int aOff, float ka, float[] b, int bOff, float kb, float k0,
                                  float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector va = FloatVector.fromArray(S, a, aOff + i);
            FloatVector vb = FloatVector.fromArray(S, b, bOff + i);
            va.mul(ka).add(vb.fma(kb, k0)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * ka + (b[bOff + i] * kb + k0);
        }
    }

    /** {@code out[i] = x[i] * y[i]}. */
    static void multiply(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).mul(FloatVector.fromArray(S, y, yOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * y[yOff + i];
        }
    }
}
