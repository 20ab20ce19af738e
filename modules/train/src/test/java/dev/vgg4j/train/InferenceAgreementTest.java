package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.core.Shape;
import dev.vgg4j.model.BatchNorm2d;
import dev.vgg4j.model.Layer;
import dev.vgg4j.model.Linear;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AbstractBackend;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code Model.infer} (batch norm folded into the convolutions, ReLU fused) of a width-1/8
 * vgg16_bn on the cpu backend against the reference backend's unfolded evaluation-mode forward of
 * the same weights, and the cpu path's tensors reused from batch to batch.
 */
class InferenceAgreementTest {
    /**
     * Relative to the largest logit: float32 folding (a few ulps per layer) plus the cpu backend's
     * Winograd and GEMM summation orders against the reference's direct convolution in double.
     */
    private static final double TOLERANCE = 1e-4;
    private static final VggConfig CONFIG = VggConfig.named("vgg16_bn").withWidth(1.0 / 8).withSeed(11);
    private static final Shape IMAGES = Shape.nchw(4, 3, 32, 32);

    private static float[] uniform(int size, long seed, float lo, float hi) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = lo + (hi - lo) * (float) CounterRng.uniform(seed, i);
        }
        return v;
    }

    /**
     * The model with batch norms that fold into something: gamma in [0.5, 1.5), beta in [-0.5, 0.5),
     * running statistics moved by two training forwards; classifier biases 0, so that the logits
     * come from the features. The same numbers on every backend.
     */
    private static Vgg prepared(Backend backend, Tensor images) {
        Vgg vgg = Vgg.create(backend, CONFIG.withDropout(0f));
        long seed = 100;
        for (Layer layer : vgg.layers()) {
            if (layer instanceof BatchNorm2d bn) {
                Tensor gamma = bn.parameters().get(0).value();
                Tensor beta = bn.parameters().get(1).value();
                backend.upload(uniform(gamma.size(), seed++, 0.5f, 1.5f), gamma);
                backend.upload(uniform(beta.size(), seed++, -0.5f, 0.5f), beta);
            } else if (layer instanceof Linear linear) {
                backend.fill(linear.parameters().get(1).value(), 0f);
            }
        }
        vgg.forward(images);
        vgg.forward(images);
        vgg.train(false);
        return vgg;
    }

    @Test
    void cpuInferenceMatchesTheReferenceEvaluationForward() {
        float[] pixels = uniform(IMAGES.size(), 7, -1f, 1f);
        float[] expected;
        try (Backend reference = TestBackends.reference(); Tensor images = reference.upload(pixels, IMAGES);
             Vgg vgg = prepared(reference, images)) {
            expected = reference.download(vgg.forward(images));
        }
        try (Backend cpu = Backends.create("cpu", BackendOptions.defaults().withThreads(2));
             Tensor images = cpu.upload(pixels, IMAGES); Vgg vgg = prepared(cpu, images)) {
            Tensor logits = vgg.infer(images);
            float[] actual = cpu.download(logits);
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < expected.length; i++) {
                diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
                norm = Math.max(norm, Math.abs(expected[i]));
            }
            assertTrue(norm > 1e-3, "the logits come from the features, max |logit| " + norm);
            assertTrue(diff <= TOLERANCE * norm, "cpu folded inference vs reference evaluation forward: max difference "
                    + diff + ", max |logit| " + norm);

            int live = ((AbstractBackend<?>) cpu).liveTensors();
            assertSame(logits, vgg.infer(images), "the logits tensor is reused");
            assertEquals(live, ((AbstractBackend<?>) cpu).liveTensors(), "a second batch allocates no tensor");
        }
    }
}
