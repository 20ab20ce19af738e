package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.core.Shape;
import dev.vgg4j.core.Tensor;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.SgdParams;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every op of the cpu backend (2 threads) against the scalar reference backend on the same random
 * inputs, with shapes chosen to reach the cpu backend's own paths: convolution chunks of one and
 * of several images, odd plane sizes that leave vector tails, and stride 2 without padding.
 */
class CpuMatchesReferenceTest {
    private static final double TOLERANCE = 2e-4;

    private final Backend cpu = Backends.create("cpu", BackendOptions.defaults().withThreads(2));
    private final Backend ref = Backends.create("reference", BackendOptions.defaults());
    private final SplittableRandom rnd = new SplittableRandom(7);

    @AfterEach
    void close() {
        cpu.close();
        ref.close();
    }

    /** The same tensor on both backends. */
    private record Pair(Tensor cpu, Tensor ref) {}

    private Pair random(Shape shape) {
        float[] x = new float[shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return new Pair(cpu.upload(x, shape), ref.upload(x, shape));
    }

    private Pair constant(Shape shape, float value) {
        return new Pair(cpu.allocate(shape, value), ref.allocate(shape, value));
    }

    private void assertClose(Pair p, String what) {
        float[] expected = ref.download(p.ref());
        float[] actual = cpu.download(p.cpu());
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], TOLERANCE * scale, what + "[" + i + "]");
        }
    }

    @ParameterizedTest(name = "x [{0},{1},{2},{3}] w [{4},{1},{5},{6}] stride {7} pad {8}")
    @CsvSource({
        "3, 5, 9, 7, 4, 3, 3, 1, 1",      // several images per GEMM
        "2, 3, 34, 33, 8, 3, 3, 1, 1",    // one image per GEMM, written in place
        "2, 4, 11, 10, 3, 3, 2, 2, 0",    // stride 2, no padding, non-square kernel
        "5, 16, 2, 2, 17, 3, 3, 1, 1",    // VGG's last 2x2 layer shape, partial tiles
    })
    void convolutionForwardAndBothGradients(int n, int c, int h, int w, int f, int kh, int kw, int stride,
                                            int padding) {
        Conv2dSpec spec = new Conv2dSpec(stride, padding);
        Shape in = Shape.nchw(n, c, h, w);
        Shape out = Shape.nchw(n, f, spec.outputSize(h, kh), spec.outputSize(w, kw));
        Pair x = random(in);
        Pair weight = random(Shape.nchw(f, c, kh, kw));
        Pair bias = random(Shape.of(f));
        Pair y = constant(out, Float.NaN);
        cpu.conv2dForward(x.cpu(), weight.cpu(), bias.cpu(), spec, y.cpu());
        ref.conv2dForward(x.ref(), weight.ref(), bias.ref(), spec, y.ref());
        assertClose(y, "y");

        Pair gy = random(out);
        Pair gx = constant(in, Float.NaN);
        cpu.conv2dBackwardInput(gy.cpu(), weight.cpu(), spec, gx.cpu());
        ref.conv2dBackwardInput(gy.ref(), weight.ref(), spec, gx.ref());
        assertClose(gx, "gradInput");

        Pair gw = constant(weight.cpu().shape(), Float.NaN);
        Pair gb = constant(Shape.of(f), Float.NaN);
        cpu.conv2dBackwardWeight(x.cpu(), gy.cpu(), spec, gw.cpu(), gb.cpu());
        ref.conv2dBackwardWeight(x.ref(), gy.ref(), spec, gw.ref(), gb.ref());
        assertClose(gw, "gradWeight");
        assertClose(gb, "gradBias");
    }

    @Test
    void batchNormTrainingInferenceAndBackward() {
        Shape s = Shape.nchw(3, 5, 7, 3);
        Shape ch = Shape.of(5);
        Pair x = random(s);
        Pair gamma = random(ch);
        Pair beta = random(ch);
        Pair rm = random(ch);
        Pair rv = constant(ch, 0.7f);
        Pair y = constant(s, Float.NaN);
        Pair mean = constant(ch, Float.NaN);
        Pair invStd = constant(ch, Float.NaN);
        cpu.batchNormTrainForward(x.cpu(), gamma.cpu(), beta.cpu(), rm.cpu(), rv.cpu(), 0.1f, 1e-5f, y.cpu(),
                mean.cpu(), invStd.cpu());
        ref.batchNormTrainForward(x.ref(), gamma.ref(), beta.ref(), rm.ref(), rv.ref(), 0.1f, 1e-5f, y.ref(),
                mean.ref(), invStd.ref());
        assertClose(y, "y");
        assertClose(mean, "saveMean");
        assertClose(invStd, "saveInvStd");
        assertClose(rm, "runningMean");
        assertClose(rv, "runningVar");

        Pair gy = random(s);
        Pair gx = constant(s, Float.NaN);
        Pair gGamma = constant(ch, Float.NaN);
        Pair gBeta = constant(ch, Float.NaN);
        cpu.batchNormBackward(x.cpu(), gy.cpu(), gamma.cpu(), mean.cpu(), invStd.cpu(), gx.cpu(), gGamma.cpu(),
                gBeta.cpu());
        ref.batchNormBackward(x.ref(), gy.ref(), gamma.ref(), mean.ref(), invStd.ref(), gx.ref(), gGamma.ref(),
                gBeta.ref());
        assertClose(gx, "gradX");
        assertClose(gGamma, "gradGamma");
        assertClose(gBeta, "gradBeta");

        Pair yi = constant(s, Float.NaN);
        cpu.batchNormInferenceForward(x.cpu(), gamma.cpu(), beta.cpu(), rm.cpu(), rv.cpu(), 1e-5f, yi.cpu());
        ref.batchNormInferenceForward(x.ref(), gamma.ref(), beta.ref(), rm.ref(), rv.ref(), 1e-5f, yi.ref());
        assertClose(yi, "inference y");
    }

    @Test
    void reluAndMaxPoolWithTiesAndNaN() {
        Shape s = Shape.nchw(2, 3, 7, 6);
        float[] data = new float[s.size()];
        for (int i = 0; i < data.length; i++) {
            // few distinct values so windows hold ties; some NaN
            data[i] = i % 11 == 0 ? Float.NaN : rnd.nextInt(-2, 3);
        }
        Pair x = new Pair(cpu.upload(data, s), ref.upload(data, s));
        Pair r = constant(s, Float.NaN);
        cpu.reluForward(x.cpu(), r.cpu());
        ref.reluForward(x.ref(), r.ref());
        assertArrayEquals(ref.download(r.ref()), cpu.download(r.cpu()));

        Shape pooled = Shape.nchw(2, 3, 3, 3);
        Pair y = constant(pooled, 0f);
        Pair arg = constant(pooled, -1f);
        cpu.maxPool2dForward(x.cpu(), y.cpu(), arg.cpu());
        ref.maxPool2dForward(x.ref(), y.ref(), arg.ref());
        assertArrayEquals(ref.download(y.ref()), cpu.download(y.cpu()));
        assertArrayEquals(ref.download(arg.ref()), cpu.download(arg.cpu()));

        Pair gy = random(pooled);
        Pair gx = constant(s, Float.NaN);
        cpu.maxPool2dBackward(gy.cpu(), arg.cpu(), gx.cpu());
        ref.maxPool2dBackward(gy.ref(), arg.ref(), gx.ref());
        assertArrayEquals(ref.download(gx.ref()), cpu.download(gx.cpu()));

        Pair g = random(s);
        Pair gr = constant(s, Float.NaN);
        cpu.reluBackward(r.cpu(), g.cpu(), gr.cpu());
        ref.reluBackward(r.ref(), g.ref(), gr.ref());
        assertArrayEquals(ref.download(gr.ref()), cpu.download(gr.cpu()));
    }

    @Test
    void dropoutMaskIsCounterRngKeep() {
        Shape s = Shape.matrix(3, 70_001);
        float p = 0.3f;
        long seed = 1234;
        Pair x = random(s);
        Pair y = constant(s, Float.NaN);
        Pair mask = constant(s, Float.NaN);
        cpu.dropoutForward(x.cpu(), p, seed, y.cpu(), mask.cpu());
        float[] m = cpu.download(mask.cpu());
        for (int i = 0; i < m.length; i++) {
            assertEquals(CounterRng.keep(seed, i, p) ? 1f / (1f - p) : 0f, m[i], "mask[" + i + "]");
        }
        ref.dropoutForward(x.ref(), p, seed, y.ref(), mask.ref());
        assertClose(y, "y");
        Pair gy = random(s);
        Pair gx = constant(s, Float.NaN);
        cpu.dropoutBackward(gy.cpu(), mask.cpu(), gx.cpu());
        ref.dropoutBackward(gy.ref(), mask.ref(), gx.ref());
        assertClose(gx, "gradX");
    }

    @ParameterizedTest
    @CsvSource({"SUM", "MEAN"})
    void softmaxCrossEntropy(Reduction reduction) {
        Shape s = Shape.matrix(9, 10);
        Pair logits = random(s);
        int[] labels = new int[9];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rnd.nextInt(10);
        }
        Pair lab = constant(Shape.of(9), 0f);
        cpu.uploadLabels(labels, lab.cpu());
        ref.uploadLabels(labels, lab.ref());
        Pair result = constant(Shape.of(2), Float.NaN);
        Pair grad = constant(s, Float.NaN);
        cpu.softmaxCrossEntropy(logits.cpu(), lab.cpu(), reduction, result.cpu(), grad.cpu());
        ref.softmaxCrossEntropy(logits.ref(), lab.ref(), reduction, result.ref(), grad.ref());
        assertClose(result, "result");
        assertClose(grad, "gradLogits");
    }

    @ParameterizedTest
    @CsvSource({"0, false", "0.01, false", "0.01, true"})
    void adamSteps(float weightDecay, boolean decoupled) {
        Shape s = Shape.of(37);
        Pair param = random(s);
        Pair m = constant(s, 0f);
        Pair v = constant(s, 0f);
        AdamParams params = new AdamParams(1e-2f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled);
        for (int step = 1; step <= 3; step++) {
            Pair grad = random(s);
            cpu.adamStep(param.cpu(), grad.cpu(), m.cpu(), v.cpu(), params, step);
            ref.adamStep(param.ref(), grad.ref(), m.ref(), v.ref(), params, step);
        }
        assertClose(param, "param");
        assertClose(m, "m");
        assertClose(v, "v");
    }

    @ParameterizedTest
    @CsvSource({"0, 0, false", "0.9, 0.1, false", "0.9, 0, true"})
    void sgdSteps(float momentum, float dampening, boolean nesterov) {
        Shape s = Shape.of(29);
        Pair param = random(s);
        Pair buf = constant(s, Float.NaN);
        SgdParams params = new SgdParams(0.1f, momentum, dampening, 1e-3f, nesterov);
        for (int step = 0; step < 3; step++) {
            Pair grad = random(s);
            cpu.sgdStep(param.cpu(), grad.cpu(), momentum == 0 ? null : buf.cpu(), params, step == 0);
            ref.sgdStep(param.ref(), grad.ref(), momentum == 0 ? null : buf.ref(), params, step == 0);
        }
        assertClose(param, "param");
    }

    @Test
    void elementwiseHelpersAndLinear() {
        Shape s = Shape.matrix(5, 19);
        Pair x = random(s);
        Pair y = random(s);
        cpu.axpy(0.5f, x.cpu(), y.cpu());
        ref.axpy(0.5f, x.ref(), y.ref());
        cpu.scale(y.cpu(), -3f);
        ref.scale(y.ref(), -3f);
        assertClose(y, "axpy then scale");
        Pair total = constant(Shape.of(1), Float.NaN);
        cpu.sum(y.cpu(), total.cpu());
        ref.sum(y.ref(), total.ref());
        assertClose(total, "sum");
        byte[] pixels = {0, 1, (byte) 128, (byte) 255};
        Pair img = constant(Shape.of(4), Float.NaN);
        cpu.upload(pixels, 2f / 255, -1f, img.cpu());
        ref.upload(pixels, 2f / 255, -1f, img.ref());
        assertClose(img, "upload bytes");

        Pair weight = random(Shape.matrix(7, 19));
        Pair bias = random(Shape.of(7));
        Pair out = constant(Shape.matrix(5, 7), Float.NaN);
        cpu.linearForward(x.cpu(), weight.cpu(), bias.cpu(), out.cpu());
        ref.linearForward(x.ref(), weight.ref(), bias.ref(), out.ref());
        assertClose(out, "linear y");
        Pair gy = random(Shape.matrix(5, 7));
        Pair gx = constant(s, Float.NaN);
        Pair gw = constant(Shape.matrix(7, 19), Float.NaN);
        Pair gb = constant(Shape.of(7), Float.NaN);
        cpu.linearBackward(x.cpu(), weight.cpu(), gy.cpu(), gx.cpu(), gw.cpu(), gb.cpu());
        ref.linearBackward(x.ref(), weight.ref(), gy.ref(), gx.ref(), gw.ref(), gb.ref());
        assertClose(gx, "linear gradX");
        assertClose(gw, "linear gradWeight");
        assertClose(gb, "linear gradBias");
    }
}
