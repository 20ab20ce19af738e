package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Precision;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.tck.Closeness;
import dev.vgg4j.tck.ConvCase;
import dev.vgg4j.tck.ConvOracle;
import dev.vgg4j.tck.LinearOracle;
import dev.vgg4j.tck.OpConformance;
import dev.vgg4j.train.CrossEntropyLoss;
import dev.vgg4j.train.LossScaler;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --precision fp16} on the device: the half rounding itself, the GEMM-based ops against the
 * kit's float64 oracles, a small model's gradients against the float32 reference backend, and the
 * loss scaler's skip, backoff and growth.
 *
 * <p><b>Tolerance.</b> Autocast rounds each input of a product to half (relative error at most
 * u = 2^-11) and the output again (at most u); the products and their float32 sum add nothing
 * comparable. The input errors of a sum of random-signed terms add in quadrature like the terms
 * themselves, so the norm-wise error {@code ||out - ref|| / ||ref||} is about u, whatever K: the ops
 * must be within {@link #OP_TOLERANCE} = 4u (1.95e-3). They must also be off by more than u/16, or
 * the op did not run in half at all (float32 is within 1e-5 here). A model's gradients are further
 * off: batch norm over few values (batch 4 at 2x2: 16 per channel) divides by a small spread, and
 * its backward subtracts nearly equal sums, so each amplifies the half roundings of the layers
 * around it. Measured on PoCL: 8e-4 for the last linear layer's weight (no batch norm behind it),
 * 0.036 to 0.055 for every other weight; the bound is 0.1. The biases of convolutions followed by
 * batch norm are left out: their exact gradient is 0 (batch norm subtracts the mean), so both runs
 * hold rounding noise there.
 */
class MixedPrecisionTest {
    private static final double U = 0x1p-11;
    private static final double OP_TOLERANCE = 4 * U;
    private static final double NOT_FLOAT32 = U / 16;
    private static final double MODEL_GRADIENT_TOLERANCE = 0.1;

    private final SplittableRandom random = new SplittableRandom(11);
    private Backend half;

    @BeforeAll
    static void tornadoPresent() {
        DeviceFixture.assumeTornado();
    }

    private Backend half() {
        if (half == null) {
            half = Backends.create(TornadoBackendProvider.NAME, DeviceFixture.options(256).withPrecision(Precision.FP16));
        }
        return half;
    }

    @AfterEach
    void tearDown() {
        if (half != null) {
            half.close();
        }
    }

    /** C = I * B is B rounded to half, exactly: the device's rounding is IEEE's, ties, subnormals and overflow included. */
    @Test
    void aGemmWithTheIdentityRoundsToHalfAsTheJdkDoes() {
        int n = 64;
        float[] b = new float[n * n];
        for (int i = 0; i < b.length; i++) {
            // magnitudes from 2^-30 (flushes to 0) to 2^15, and exact ties between halves; none overflows, since
            // 0 * inf in the identity's zeros would be NaN (HalfFloatsTest covers the overflow)
            float v = (float) Math.scalb(1.0 + random.nextInt(1 << 12) / 4096.0, random.nextInt(45) - 30);
            b[i] = random.nextBoolean() ? v : -v;
        }
        float[] identity = new float[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1f;
        }
        Backend backend = half();
        Tensor c = backend.allocate(Shape.matrix(n, n));
        backend.gemm(false, false, 1f, backend.upload(identity, Shape.matrix(n, n)), backend.upload(b, Shape.matrix(n, n)), 0f, c);
        float[] expected = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            // + 0f: a sum with the identity's zeros gives +0 where the half is -0
            expected[i] = Float.float16ToFloat(Float.floatToFloat16(b[i])) + 0f;
        }
        Closeness.assertSame("I * B in fp16", backend.download(c), expected);
    }

    @Test
    void convolutionIsWithinHalfPrecisionOfTheFloat64Oracle() {
        ConvCase cc = new ConvCase(2, 24, 9, 9, 16, 3, 1, 1);
        Backend backend = half();
        float[] x = values(cc.input().size());
        float[] w = values(cc.weight().size());
        float[] bias = values(cc.f());
        float[] gy = values(cc.output().size());
        Tensor xt = backend.upload(x, cc.input());
        Tensor wt = backend.upload(w, cc.weight());
        Tensor gyt = backend.upload(gy, cc.output());
        Tensor y = backend.allocate(cc.output());
        backend.conv2dForward(xt, wt, backend.upload(bias, Shape.of(cc.f())), cc.spec(), y);
        assertHalfPrecision("conv forward " + cc, backend.download(y), ConvOracle.forward(cc, d(x), d(w), d(bias)));
        Tensor gx = backend.allocate(cc.input());
        backend.conv2dBackwardInput(gyt, wt, cc.spec(), gx);
        assertHalfPrecision("conv backward input", backend.download(gx), ConvOracle.backwardInput(cc, d(gy), d(w)));
        Tensor gw = backend.allocate(cc.weight());
        backend.conv2dBackwardWeight(xt, gyt, cc.spec(), gw, null);
        assertHalfPrecision("conv backward weight", backend.download(gw), ConvOracle.backwardWeight(cc, d(x), d(gy)));
    }

    @Test
    void linearIsWithinHalfPrecisionOfTheFloat64Oracle() {
        int n = 8;
        int in = 300;
        int out = 40;
        Backend backend = half();
        float[] x = values(n * in);
        float[] w = values(out * in);
        float[] b = values(out);
        float[] gy = values(n * out);
        Tensor xt = backend.upload(x, Shape.matrix(n, in));
        Tensor wt = backend.upload(w, Shape.matrix(out, in));
        Tensor y = backend.allocate(Shape.matrix(n, out));
        backend.linearForward(xt, wt, backend.upload(b, Shape.of(out)), y);
        assertHalfPrecision("linear forward", backend.download(y), LinearOracle.forward(n, in, out, d(x), d(w), d(b)));
        Tensor gx = backend.allocate(Shape.matrix(n, in));
        Tensor gw = backend.allocate(Shape.matrix(out, in));
        backend.linearBackward(xt, wt, backend.upload(gy, Shape.matrix(n, out)), gx, gw, null);
        assertHalfPrecision("linear grad input", backend.download(gx), LinearOracle.gradInput(n, in, out, d(gy), d(w)));
        assertHalfPrecision("linear grad weight", backend.download(gw), LinearOracle.gradWeight(n, in, out, d(gy), d(x)));
    }

    /** A two-block VGG-BN with the recipe's classifier: the gradients of one batch, fp16 on the device against fp32 reference. */
    @Test
    void aSmallModelsGradientsAreWithinHalfPrecisionOfFloat32() {
        VggConfig config = VggConfig.custom(List.of(64, "M", 128, "M")).withWidth(1.0 / 8).withImageSize(8).withSeed(5);
        int batch = 4;
        float[] images = values(config.inputShape(batch).size());
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(config.numClasses());
        }
        try (Backend reference = Backends.create("reference", DeviceFixture.options(1))) {
            List<float[]> expected = gradients(reference, config, images, labels);
            List<float[]> actual = gradients(half(), config, images, labels);
            double largest = expected.stream().mapToDouble(MixedPrecisionTest::norm).max().orElseThrow();
            StringBuilder errors = new StringBuilder();
            double worst = 0;
            for (int i = 0; i < expected.size(); i++) {
                if (norm(expected.get(i)) < 1e-4 * largest) {
                    continue; // a convolution's bias before batch norm: its gradient is 0 but for rounding, in both runs
                }
                double error = Closeness.relativeError(OpConformance.toDouble(actual.get(i)), OpConformance.toDouble(expected.get(i)));
                errors.append(String.format(java.util.Locale.ROOT, " %d: %.2e", i, error));
                worst = Math.max(worst, error);
            }
            assertTrue(worst <= MODEL_GRADIENT_TOLERANCE, "relative errors per parameter:" + errors);
            assertTrue(worst > NOT_FLOAT32, "fp16 gradients equal float32's:" + errors);
        }
    }

    /** GradScaler on the device: an injected inf skips and halves, a NaN too, finite steps grow the scale. */
    @Test
    void theLossScalerSkipsBacksOffAndGrowsOnTheDevice() {
        Backend backend = half();
        try (LossScaler scaler = new LossScaler(backend, 1024f, 2)) {
            List<Parameter> finite = List.of(parameter(backend, 2048f, -1024f));
            scaler.unscale(finite);
            assertTrue(scaler.update());
            assertEquals(List.of(2f, -1f), List.of(backend.download(finite.get(0).grad())[0], backend.download(finite.get(0).grad())[1]));
            Parameter infinite = parameter(backend, Float.POSITIVE_INFINITY, 1f);
            scaler.unscale(List.of(parameter(backend, 1f), infinite));
            assertFalse(scaler.update(), "inf: skipped");
            assertEquals(512f, scaler.currentScale());
            Parameter nan = parameter(backend, 3f, Float.NaN);
            scaler.unscale(List.of(nan));
            assertFalse(scaler.update(), "NaN: skipped");
            assertEquals(256f, scaler.currentScale());
            // No inf left in freed device memory: see LossScalingConformance.
            backend.fill(infinite.grad(), 0f);
            backend.fill(nan.grad(), 0f);
            scaler.unscale(finite);
            scaler.update();
            scaler.unscale(finite);
            assertTrue(scaler.update());
            assertEquals(512f, scaler.currentScale(), "two finite steps in a row: doubled");
        }
    }

    private static List<float[]> gradients(Backend backend, VggConfig config, float[] images, int[] labels) {
        int batch = labels.length;
        try (Vgg model = Vgg.create(backend, config); CrossEntropyLoss loss = new CrossEntropyLoss(backend, Reduction.SUM);
             Tensor x = backend.upload(images, config.inputShape(batch)); Tensor y = backend.allocate(Shape.of(batch))) {
            backend.uploadLabels(labels, y);
            model.train(true);
            model.backward(loss.forwardBackward(model.forward(x), y));
            return model.parameters().stream().map(p -> backend.download(p.grad())).toList();
        }
    }

    private static double norm(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    private static Parameter parameter(Backend backend, float... grad) {
        return new Parameter("p", backend.allocate(Shape.of(grad.length), 0f), backend.upload(grad, Shape.of(grad.length)));
    }

    private static void assertHalfPrecision(String what, float[] actual, double[] expected) {
        Closeness.assertClose(what, actual, expected, OP_TOLERANCE);
        double error = Closeness.relativeError(OpConformance.toDouble(actual), expected);
        assertTrue(error > NOT_FLOAT32, what + ": relative error " + error + " is float32's, not half's");
    }

    private float[] values(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static double[] d(float[] values) {
        return OpConformance.toDouble(values);
    }
}
