package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.SgdParams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    private static final double[] START = {0.5, -1.0, 2.0};
    private static final double[] GRAD = {0.1, -0.3, 0.0};

    private Backend backend;
    private Parameter parameter;

    @BeforeEach
    void setUp() {
        backend = TestBackends.reference();
        parameter = new Parameter("features.0.weight", backend.upload(floats(START), Shape.of(3)),
                backend.upload(floats(GRAD), Shape.of(3)));
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void adamFollowsTorchAdamIncludingALearningRateChange() {
        Adam adam = new Adam(backend, List.of(parameter), AdamParams.adam(1e-2f));
        double[] p = START.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        double[] lrs = {1e-2, 1e-2, 1e-3};
        for (int step = 1; step <= 3; step++) {
            adam.setLearningRate(lrs[step - 1]);
            adam.step();
            for (int i = 0; i < 3; i++) {
                m[i] = 0.9 * m[i] + 0.1 * GRAD[i];
                v[i] = 0.999 * v[i] + 0.001 * GRAD[i] * GRAD[i];
                double mHat = m[i] / (1 - Math.pow(0.9, step));
                double vHat = v[i] / (1 - Math.pow(0.999, step));
                p[i] -= lrs[step - 1] * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        assertArrayEquals(floats(p), backend.download(parameter.value()), 1e-6f);
        assertEquals(3, adam.steps());
        assertEquals(List.of("optimizer.features.0.weight.exp_avg", "optimizer.features.0.weight.exp_avg_sq"),
                adam.stateBuffers().stream().map(Buffer::name).toList());
    }

    @Test
    void sgdMomentumStartsItsBufferFromTheFirstGradient() {
        Sgd sgd = new Sgd(backend, List.of(parameter), new SgdParams(0.1f, 0.9f, 0f, 0f, false));
        sgd.step();
        sgd.step();
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double buf = GRAD[i];                  // first step: buf = g
            double afterFirst = START[i] - 0.1 * buf;
            buf = 0.9 * buf + GRAD[i];             // second: buf = momentum * buf + g
            expected[i] = afterFirst - 0.1 * buf;
        }
        assertArrayEquals(floats(expected), backend.download(parameter.value()), 1e-6f);
        assertEquals(List.of("optimizer.features.0.weight.momentum_buffer"),
                sgd.stateBuffers().stream().map(Buffer::name).toList());
    }

    @Test
    void stepCountAndRateSurviveACheckpoint() throws CheckpointException {
        Adam adam = new Adam(backend, List.of(parameter), AdamParams.adam(1e-3f));
        adam.step();
        adam.step();
        adam.setLearningRate(1.0000000000000002e-04);
        Adam restored = new Adam(backend, List.of(parameter), AdamParams.adam(1e-3f));
        restored.restoreMetadata(adam.stateMetadata(), "test");
        assertEquals(2, restored.steps());
        assertEquals(1.0000000000000002e-04, restored.learningRate(), 0);
    }

    @Test
    void aStepCountBeyondTheIntRangeIsKeptWholeAndStepsWithoutBiasCorrection() throws CheckpointException {
        long beyondInt = (1L << 32) + 4;  // an int would wrap this to 4, and bias-correct as at step 5
        Adam adam = new Adam(backend, List.of(parameter), AdamParams.adam(1e-2f));
        adam.restoreMetadata(Map.of("optimizer.steps", Long.toString(beyondInt), "optimizer.lr", "0.01"), "test");
        assertEquals(beyondInt, adam.steps());

        adam.step();

        double[] p = START.clone();
        for (int i = 0; i < 3; i++) {
            double m = 0.1 * GRAD[i];                   // fresh moments: one update; 0.9^t and 0.999^t are 0
            double v = 0.001 * GRAD[i] * GRAD[i];
            p[i] -= 1e-2 * m / (Math.sqrt(v) + 1e-8);
        }
        assertArrayEquals(floats(p), backend.download(parameter.value()), 1e-6f);
    }

    @Test
    void aNegativeStepCountIsRefused() {
        Adam adam = new Adam(backend, List.of(parameter), AdamParams.adam(1e-2f));
        CheckpointException e = assertThrows(CheckpointException.class, () -> adam.restoreMetadata(
                Map.of("optimizer.steps", "-3", "optimizer.lr", "0.01"), "ckpt"));
        assertTrue(e.getMessage().contains("ckpt: metadata 'optimizer.steps' = -3"), e.getMessage());
    }

    private static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
