package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BatchNorm's batch vs running statistics and Dropout's on/off switch, and the model's dropout seeds. */
class TrainEvalModeTest {
    private final Backend backend = ReferenceBackend.create();

    @AfterEach
    void close() {
        backend.close();
    }

    /** Per-channel mean and biased variance of an [N, C, H, W] array on the host, in double. */
    private static double[][] channelStats(float[] x, Shape s) {
        int hw = s.h() * s.w();
        double[][] stats = new double[2][s.c()];
        for (int c = 0; c < s.c(); c++) {
            double sum = 0;
            double sq = 0;
            for (int n = 0; n < s.n(); n++) {
                for (int i = 0; i < hw; i++) {
                    double v = x[(n * s.c() + c) * hw + i];
                    sum += v;
                    sq += v * v;
                }
            }
            int m = s.n() * hw;
            stats[0][c] = sum / m;
            stats[1][c] = sq / m - stats[0][c] * stats[0][c];
        }
        return stats;
    }

    @Test
    void batchNormTrainsOnBatchStatsAndEvaluatesOnRunningStats() {
        Shape s = Shape.nchw(4, 3, 2, 2);
        float[] x = GradientCheck.uniform(s.size(), 21L, 3f);
        for (int i = 0; i < x.length; i++) {
            x[i] += 2f; // a non-zero mean so the running mean visibly moves
        }
        try (BatchNorm2d bn = new BatchNorm2d(backend, "features.1", 3); Tensor in = backend.upload(x, s)) {
            double[][] batch = channelStats(x, s);
            double[][] normalised = channelStats(backend.download(bn.forward(in)), s);
            int m = s.n() * s.h() * s.w();
            for (int c = 0; c < 3; c++) {
                assertEquals(0, normalised[0][c], 1e-5, "train output mean");
                assertEquals(1, normalised[1][c], 1e-3, "train output variance");
            }
            float[] runningMean = bn.buffers().get(0).save().floats();
            float[] runningVar = bn.buffers().get(1).save().floats();
            for (int c = 0; c < 3; c++) {
                assertEquals(0.1 * batch[0][c], runningMean[c], 1e-5, "running mean, momentum 0.1");
                assertEquals(0.9 + 0.1 * batch[1][c] * m / (m - 1), runningVar[c], 1e-5, "running var, unbiased");
            }
            assertEquals(1, bn.numBatchesTracked());

            bn.train(false);
            float[] y = backend.download(bn.forward(in));
            int hw = s.h() * s.w();
            for (int i = 0; i < x.length; i++) {
                int c = (i / hw) % 3;
                double expected = (x[i] - runningMean[c]) / Math.sqrt(runningVar[c] + 1e-5);
                assertEquals(expected, y[i], 1e-4, "eval output uses running stats");
            }
            assertArrayEquals(runningMean, bn.buffers().get(0).save().floats(), "eval leaves running stats alone");
            assertEquals(1, bn.numBatchesTracked());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> bn.backward(in));
            assertTrue(e.getMessage().contains("features.1"), e.getMessage());
        }
    }

    @Test
    void dropoutDropsAboutPAndScalesInTrainingAndIsTheIdentityInEval() {
        Shape s = Shape.matrix(20, 100);
        float[] ones = new float[s.size()];
        Arrays.fill(ones, 1f);
                try (Dropout dropout = new Dropout(backend, 0.5f, new DropoutSeeds(5L)); Tensor in = backend.upload(ones, s)) {
            float[] first = backend.download(dropout.forward(in));
            long zeros = 0;
            for (float v : first) {
                assertTrue(v == 0f || v == 2f, "kept values are scaled by 1/(1-p): " + v);
                zeros += v == 0f ? 1 : 0;
            }
            // Binomial(2000, 0.5): standard deviation 22; 5 of them from 1000.
            assertEquals(1000, zeros, 110);
            float[] second = backend.download(dropout.forward(in));
            assertFalse(Arrays.equals(first, second), "each training forward draws a new mask");

            dropout.train(false);
            assertSame(in, dropout.forward(in));
            assertSame(in, dropout.backward(in));
        }
    }

    @Test
    void theModelDrawsTwoDropoutSeedsPerTrainingForwardAndNoneInEval() {
        VggConfig c = VggConfig.named("vgg11_bn").withWidth(1.0 / 32).withImageSize(32);
        try (Vgg vgg = Vgg.create(backend, c);
                Tensor images = backend.upload(GradientCheck.uniform(2 * 3 * 32 * 32, 3L, 1f), Shape.nchw(2, 3, 32, 32))) {
            assertTrue(vgg.isTraining(), "a new model is in training mode, as in PyTorch");
            float[] first = backend.download(vgg.forward(images));
            assertEquals(2, vgg.dropoutSeeds().state());
            float[] second = backend.download(vgg.forward(images));
            assertFalse(Arrays.equals(first, second), "new dropout masks each training step");
            vgg.dropoutSeeds().restore(0);
            assertArrayEquals(first, backend.download(vgg.forward(images)), "restoring the seed state repeats the step");

            vgg.train(false);
            float[] eval1 = backend.download(vgg.forward(images));
            float[] eval2 = backend.download(vgg.forward(images));
            assertArrayEquals(eval1, eval2, "evaluation is deterministic");
            assertEquals(2, vgg.dropoutSeeds().state());
        }
    }
}
