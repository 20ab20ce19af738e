package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Launches folded into the next op's kernel (a batch norm's normalize with the ReLU after it, a ReLU
 * backward with the batch norm backward's sums) give bit for bit what the two launches give, with
 * one launch fewer. {@code synchronize()} between the two ops launches the first alone: the reference.
 */
class DeferredFusionTest {
    private static final Shape X = Shape.nchw(3, 4, 5, 6);
    private static final int C = X.c();

    @BeforeAll
    static void tornadoPresent() {
        DeviceFixture.assumeTornado();
    }

    private static TornadoBackend tornado() {
        return DeviceFixture.backend(64);
    }

    /** Gaussian values, about half of them negative so that the ReLU masks some. */
    private static float[] values(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return v;
    }

    /** Outputs of one run and the launches it took. */
    private record Run(float[][] outputs, long launches) {}

    /** x -> BN (training) -> ReLU (in place or not): the BN output, the ReLU output, the running stats. */
    private static Run batchNormThenRelu(TornadoBackend b, boolean inPlace, boolean separate) {
        Tensor x = b.upload(values(X.size(), 1), X);
        Tensor gamma = b.upload(values(C, 2), Shape.of(C));
        Tensor beta = b.upload(values(C, 3), Shape.of(C));
        Tensor runningMean = b.allocate(Shape.of(C), 0f);
        Tensor runningVar = b.allocate(Shape.of(C), 1f);
        Tensor y = b.allocate(X);
        Tensor relu = inPlace ? y : b.allocate(X);
        Tensor mean = b.allocate(Shape.of(C));
        Tensor invStd = b.allocate(Shape.of(C));
        long before = b.launches();
        b.batchNormTrainForward(x, gamma, beta, runningMean, runningVar, 0.1f, 1e-5f, y, mean, invStd);
        if (separate) {
            b.synchronize();
        }
        b.reluForward(y, relu);
        b.synchronize();
        long launches = b.launches() - before;
        return new Run(new float[][] {b.download(y), b.download(relu), b.download(runningMean), b.download(runningVar)},
                launches);
    }

    /** ReLU backward (in place or not) -> BN backward: the ReLU's gradient, gradX, gradGamma, gradBeta. */
    private static Run reluBackwardThenBatchNormBackward(TornadoBackend b, boolean inPlace, boolean separate) {
        Tensor x = b.upload(values(X.size(), 4), X);
        Tensor reluOut = b.upload(values(X.size(), 5), X);
        Tensor gradOut = b.upload(values(X.size(), 6), X);
        Tensor gamma = b.upload(values(C, 7), Shape.of(C));
        Tensor mean = b.upload(values(C, 8), Shape.of(C));
        Tensor invStd = b.upload(new float[] {0.5f, 1f, 1.5f, 2f}, Shape.of(C));
        Tensor gradRelu = inPlace ? gradOut : b.allocate(X);
        Tensor gradX = b.allocate(X);
        Tensor gradGamma = b.allocate(Shape.of(C));
        Tensor gradBeta = b.allocate(Shape.of(C));
        long before = b.launches();
        b.reluBackward(reluOut, gradOut, gradRelu);
        if (separate) {
            b.synchronize();
        }
        b.batchNormBackward(x, gradRelu, gamma, mean, invStd, gradX, gradGamma, gradBeta);
        b.synchronize();
        long launches = b.launches() - before;
        return new Run(new float[][] {b.download(gradRelu), b.download(gradX), b.download(gradGamma), b.download(gradBeta)},
                launches);
    }

    private static void assertSameWithOneLaunchLess(Run separate, Run fused) {
        for (int i = 0; i < separate.outputs().length; i++) {
            assertArrayEquals(separate.outputs()[i], fused.outputs()[i], "output " + i + " bit for bit");
        }
        assertEquals(separate.launches() - 1, fused.launches(), "launches");
    }

    @ParameterizedTest(name = "in place: {0}")
    @ValueSource(booleans = {true, false})
    void reluJoinsTheBatchNormNormalizeLaunch(boolean inPlace) {
        try (TornadoBackend b = tornado()) {
            assertSameWithOneLaunchLess(batchNormThenRelu(b, inPlace, true), batchNormThenRelu(b, inPlace, false));
        }
    }

    @ParameterizedTest(name = "in place: {0}")
    @ValueSource(booleans = {true, false})
    void reluBackwardJoinsTheBatchNormBackwardSums(boolean inPlace) {
        try (TornadoBackend b = tornado()) {
            assertSameWithOneLaunchLess(reluBackwardThenBatchNormBackward(b, inPlace, true),
                    reluBackwardThenBatchNormBackward(b, inPlace, false));
        }
    }
}
