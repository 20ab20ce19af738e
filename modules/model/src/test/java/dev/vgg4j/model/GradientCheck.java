package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;

/**
 * Compares a layer's backward with central differences of {@code L(x) = sum(forward(x) * r)} for a
 * fixed random {@code r}, through the input and every parameter (up to {@link #MAX_PER_TENSOR}
 * elements of each, spread over the tensor). Input and r are uploaded afresh before every forward
 * and backward, because in-place layers overwrite them.
 */
final class GradientCheck {
    private static final int MAX_PER_TENSOR = 40;
    static final float DEFAULT_EPS = 1e-2f;

    private final Backend backend;
    private final Layer layer;
    private final Runnable beforeForward;
    private final float eps;
    private final float[] x;
    private final Tensor input;
    private float[] r;
    private Tensor gradOut;
    private int checked;

    /**
     * @param beforeForward runs before every forward, e.g. to restore a dropout seed state
     * @param eps the central-difference step
     */
    GradientCheck(Backend backend, Layer layer, float[] x, Shape inputShape, Runnable beforeForward, float eps) {
        this.backend = backend;
        this.layer = layer;
        this.beforeForward = beforeForward;
        this.eps = eps;
        this.x = x.clone();
        this.input = backend.allocate(inputShape);
    }

    GradientCheck(Backend backend, Layer layer, float[] x, Shape inputShape) {
        this(backend, layer, x, inputShape, () -> {}, DEFAULT_EPS);
    }

    /** Runs the check; returns how many derivatives were compared. */
    int run(double atol, double rtol) {
        Tensor y = forward();
        r = uniform(y.size(), 99L, 1f);
        gradOut = backend.upload(r, y.shape());
        float[] analyticInput = backend.download(layer.backward(gradOut));
        float[][] analyticParams = layer.parameters().stream().map(p -> backend.download(p.grad())).toArray(float[][]::new);

        for (int i : sample(x.length)) {
            float saved = x[i];
            x[i] = saved + eps;
            double plus = loss();
            x[i] = saved - eps;
            double minus = loss();
            x[i] = saved;
            compare("input[" + i + "]", analyticInput[i], (plus - minus) / (2 * eps), atol, rtol);
        }
        for (int k = 0; k < analyticParams.length; k++) {
            Parameter p = layer.parameters().get(k);
            float[] values = backend.download(p.value());
            for (int j : sample(values.length)) {
                float saved = values[j];
                values[j] = saved + eps;
                backend.upload(values, p.value());
                double plus = loss();
                values[j] = saved - eps;
                backend.upload(values, p.value());
                double minus = loss();
                values[j] = saved;
                backend.upload(values, p.value());
                compare(p.name() + "[" + j + "]", analyticParams[k][j], (plus - minus) / (2 * eps), atol, rtol);
            }
        }
        assertTrue(checked > 0, "nothing was checked");
        return checked;
    }

    private Tensor forward() {
        backend.upload(x, input);
        beforeForward.run();
        return layer.forward(input);
    }

    private double loss() {
        float[] y = backend.download(forward());
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += (double) y[i] * r[i];
        }
        return sum;
    }

    private void compare(String what, double analytic, double numeric, double atol, double rtol) {
        checked++;
        assertEquals(numeric, analytic, atol + rtol * Math.abs(numeric),
                () -> what + ": backward gives " + analytic + ", central difference " + numeric);
    }

    private static int[] sample(int n) {
        int count = Math.min(n, MAX_PER_TENSOR);
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = (int) ((long) i * n / count);
        }
        return idx;
    }

    /** Deterministic values in {@code [-scale, scale)}. */
    static float[] uniform(int n, long seed, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (2 * CounterRng.uniform(seed, i) - 1) * scale;
        }
        return v;
    }

    /**
     * A shuffled ramp of multiples of 0.05 without 0: gaps and distance from 0 exceed 2 * DEFAULT_EPS, so
     * central differences never cross a ReLU kink or change a max-pool winner.
     */
    static float[] distinct(int n, long seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2 + (i >= n / 2 ? 1 : 0)) * 0.05f;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (CounterRng.uniform(seed, i) * (i + 1));
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }
}
