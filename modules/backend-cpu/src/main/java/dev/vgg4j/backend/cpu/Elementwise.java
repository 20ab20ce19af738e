package dev.vgg4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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

    /** {@code sum_i x[off + i]}, lanes in float, then the lanes added in double. */
    static double sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
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
        double s = acc.reduceLanes(VectorOperators.ADD);
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
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += (double) g[gOff + i] * (x[xOff + i] - mean);
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
