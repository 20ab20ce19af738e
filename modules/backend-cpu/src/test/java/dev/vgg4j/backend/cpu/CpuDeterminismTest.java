package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.SgdParams;
import dev.vgg4j.spi.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Results are a pure function of the inputs and the thread count: the same as on the first call
 * after many repetitions have had the JIT compile every kernel (the first call may be interpreted),
 * bit for bit. Vector lane reductions were the part that changed with compilation.
 */
class CpuDeterminismTest {
    /** Enough calls for C2 to compile the reductions (they changed after about 12 000 calls). */
    private static final int WARM_UP_CALLS = 30_000;
    /** Training steps between the compared ones: the kernels run hundreds of times in them. */
    private static final int WARM_UP_STEPS = 40;

    private static float[] random(int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            // Mixed magnitudes, so that a different order of additions rounds differently.
            x[i] = (float) (rnd.nextGaussian() * (i % 7 == 0 ? 1000 : 1));
        }
        return x;
    }

    /**
     * The order {@link Elementwise#sum} promises: lanes in float, halves folded while the lane count
     * is even, the lanes left in order, then the tail in double.
     */
    private static double sumInDocumentedOrder(float[] x, int n) {
        int lanes = Elementwise.S.length();
        float[] acc = new float[lanes];
        int vectorPart = n - n % lanes;
        for (int i = 0; i < vectorPart; i++) {
            acc[i % lanes] += x[i];
        }
        int left = lanes;
        while (left % 2 == 0) {
            left /= 2;
            for (int i = 0; i < left; i++) {
                acc[i] += acc[i + left];
            }
        }
        float folded = acc[0];
        for (int i = 1; i < left; i++) {
            folded += acc[i];
        }
        double s = folded;
        for (int i = vectorPart; i < n; i++) {
            s += x[i];
        }
        return s;
    }

    @Test
    void reductionsGiveTheSameBitsInterpretedAndCompiled() {
        int n = 999;
        float[] x = random(n, 1);
        float[] g = random(n, 2);
        double sum = Elementwise.sum(x, 0, n);
        double squares = Elementwise.squaredDeviation(x, 0, n, 0.3f);
        double dot = Elementwise.dotCentered(g, 0, x, 0, n, 0.3f);
        assertEquals(sumInDocumentedOrder(x, n), sum, "sum before warm-up");
        for (int call = 0; call < WARM_UP_CALLS; call++) {
            assertEquals(sum, Elementwise.sum(x, 0, n), "sum, call " + call);
            assertEquals(squares, Elementwise.squaredDeviation(x, 0, n, 0.3f), "squaredDeviation, call " + call);
            assertEquals(dot, Elementwise.dotCentered(g, 0, x, 0, n, 0.3f), "dotCentered, call " + call);
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void trainingStepGivesTheSameBitsBeforeAndAfterWarmUp(int threads) {
        try (Backend cpu = Backends.create("cpu", BackendOptions.defaults().withThreads(threads))) {
            List<float[]> first = new TinyStep(cpu).run();
            for (int step = 0; step < WARM_UP_STEPS; step++) {
                new TinyStep(cpu).run();
            }
            List<float[]> later = new TinyStep(cpu).run();
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(first.get(i), later.get(i), "output " + i + " of the step");
            }
        }
    }

    /**
     * One SGD step of conv 3x3 - batch norm - relu - max pool - linear - cross-entropy on
     * {@code x [6, 3, 8, 8]}, from fixed inputs; {@link #run} returns the loss, every gradient and
     * the updated parameters.
     */
    private static final class TinyStep {
        private final Backend b;

        TinyStep(Backend b) {
            this.b = b;
        }

        private Tensor random(Shape shape, long seed) {
            return b.upload(CpuDeterminismTest.random(shape.size(), seed), shape);
        }

        List<float[]> run() {
            Conv2dSpec same = new Conv2dSpec(1, 1);
            Tensor x = random(Shape.nchw(6, 3, 8, 8), 10);
            Tensor w = random(Shape.nchw(8, 3, 3, 3), 11);
            Tensor bias = random(Shape.of(8), 12);
            Tensor gamma = b.allocate(Shape.of(8), 1f);
            Tensor beta = b.allocate(Shape.of(8), 0f);
            Tensor runningMean = b.allocate(Shape.of(8), 0f);
            Tensor runningVar = b.allocate(Shape.of(8), 1f);
            Tensor fc = random(Shape.matrix(10, 8 * 4 * 4), 13);
            float[] labelValues = {0, 3, 9, 1, 1, 7};
            Tensor labels = b.upload(labelValues, Shape.of(6));

            Tensor conv = b.allocate(Shape.nchw(6, 8, 8, 8));
            Tensor norm = b.allocate(conv.shape());
            Tensor saveMean = b.allocate(Shape.of(8));
            Tensor saveInvStd = b.allocate(Shape.of(8));
            Tensor pooled = b.allocate(Shape.nchw(6, 8, 4, 4));
            Tensor argmax = b.allocate(pooled.shape());
            Tensor logits = b.allocate(Shape.matrix(6, 10));
            Tensor loss = b.allocate(Shape.of(2));
            Tensor gLogits = b.allocate(logits.shape());
            b.conv2dForward(x, w, bias, same, conv);
            b.batchNormTrainForward(conv, gamma, beta, runningMean, runningVar, 0.1f, 1e-5f, norm, saveMean,
                    saveInvStd);
            b.reluForward(norm, norm);
            b.maxPool2dForward(norm, pooled, argmax);
            Tensor flat = pooled.reshape(Shape.matrix(6, 8 * 4 * 4));
            b.linearForward(flat, fc, null, logits);
            b.softmaxCrossEntropy(logits, labels, Reduction.MEAN, loss, gLogits);

            Tensor gFlat = b.allocate(flat.shape());
            Tensor gFc = b.allocate(fc.shape());
            b.linearBackward(flat, fc, gLogits, gFlat, gFc, null);
            Tensor gNorm = b.allocate(norm.shape());
            b.maxPool2dBackward(gFlat.reshape(pooled.shape()), argmax, gNorm);
            b.reluBackward(norm, gNorm, gNorm);
            Tensor gConv = b.allocate(conv.shape());
            Tensor gGamma = b.allocate(gamma.shape());
            Tensor gBeta = b.allocate(beta.shape());
            b.batchNormBackward(conv, gNorm, gamma, saveMean, saveInvStd, gConv, gGamma, gBeta);
            Tensor gx = b.allocate(x.shape());
            Tensor gw = b.allocate(w.shape());
            Tensor gBias = b.allocate(bias.shape());
            b.conv2dBackwardInput(gConv, w, same, gx);
            b.conv2dBackwardWeight(x, gConv, same, gw, gBias);
            SgdParams sgd = new SgdParams(0.1f, 0.9f, 0f, 5e-4f, false);
            b.sgdStep(w, gw, b.allocate(w.shape()), sgd, true);

            List<float[]> results = new ArrayList<>();
            for (Tensor t : List.of(loss, runningMean, runningVar, gFc, gGamma, gBeta, gx, gw, gBias, w)) {
                results.add(b.download(t));
            }
            return results;
        }
    }
}
