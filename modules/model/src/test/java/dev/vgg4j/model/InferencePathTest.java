package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Vgg#infer}: batch norm folded into the convolutions gives the evaluation-mode forward's
 * logits, is folded once per weight version, and leaves the training weights and state alone.
 */
class InferencePathTest {
    /**
     * Folding rounds {@code w * scale} to float once where the unfolded path rounds the convolution
     * and the normalisation separately: a few float32 ulps per layer, relative to the logits' norm.
     */
    static final double FOLDED_TOLERANCE = 2e-5;

    private final Backend backend = ReferenceBackend.create();
    private final Shape in = Shape.nchw(3, 3, 32, 32);

    @AfterEach
    void close() {
        backend.close();
    }

    /**
     * A width-1/16 vgg16_bn whose batch norms have non-trivial gamma, beta and running statistics,
     * in evaluation mode.
     */
    private Vgg trainedVgg(Tensor images) {
        Vgg vgg = Vgg.create(backend, VggConfig.named("vgg16_bn").withWidth(1.0 / 16).withSeed(5));
        int k = 0;
        for (Parameter p : vgg.parameters()) {
            if (p.value().shape().rank() == 1 && p.name().startsWith("features")) {
                // gamma in [0.5, 1.5), beta in [-0.5, 0.5): the fold's scale and shift both matter
                float[] v = GradientCheck.uniform(p.value().size(), 40L + k++, 0.5f);
                if (p.name().endsWith(".weight") && isBatchNorm(vgg, p)) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] += 1f;
                    }
                }
                backend.upload(v, p.value());
            } else if (p.name().startsWith("classifier") && p.name().endsWith(".bias")) {
                backend.fill(p.value(), 0f); // logits from the features alone, not from the classifier's biases
            }
        }
        vgg.train(true);
        vgg.forward(images); // running statistics move away from 0 and 1
        vgg.forward(images);
        vgg.train(false);
        return vgg;
    }

    private static boolean isBatchNorm(Vgg vgg, Parameter p) {
        return vgg.layers().stream().anyMatch(l -> l instanceof BatchNorm2d && l.parameters().contains(p));
    }

    private float[] evalForward(Vgg vgg, Tensor images) {
        boolean training = vgg.isTraining();
        vgg.train(false);
        float[] logits = backend.download(vgg.forward(images));
        vgg.train(training);
        return logits;
    }

    /** Max |expected - actual| over max |expected|. */
    private static double relativeDifference(float[] expected, float[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            norm = Math.max(norm, Math.abs(expected[i]));
        }
        return diff / norm;
    }

    private static void assertNear(String what, float[] expected, float[] actual, double tolerance) {
        double d = relativeDifference(expected, actual);
        assertTrue(d <= tolerance, what + ": relative difference " + d + " above " + tolerance);
    }

    /** Far beyond the folding tolerance: the logits did change. */
    private static void assertFar(String what, float[] before, float[] after) {
        double d = relativeDifference(before, after);
        assertTrue(d > 100 * FOLDED_TOLERANCE, what + ": relative difference only " + d);
    }

    @Test
    void foldedLogitsEqualTheEvaluationForwardAndWeightsStayUntouched() {
        try (Tensor images = backend.upload(GradientCheck.uniform(in.size(), 1L, 1f), in);
             Vgg vgg = trainedVgg(images)) {
            Map<String, TensorEntry> before = vgg.stateDict();
            float[] expected = evalForward(vgg, images);

            float[] folded = backend.download(vgg.infer(images));

            assertNear("folded vs unfolded evaluation logits", expected, folded, FOLDED_TOLERANCE);
            Map<String, TensorEntry> after = vgg.stateDict();
            for (String key : before.keySet()) {
                if (before.get(key).dtype().isFloat()) {
                    assertArrayEquals(before.get(key).floats(), after.get(key).floats(), key + " is not changed");
                }
            }
        }
    }

    @Test
    void foldsOncePerWeightVersionNotPerBatch() {
        try (Tensor images = backend.upload(GradientCheck.uniform(in.size(), 2L, 1f), in);
             Vgg vgg = trainedVgg(images)) {
            float[] first = backend.download(vgg.infer(images));
            // The last batch norm's gamma: the logits follow it closely (earlier ones are damped by its beta).
            Layer lastBatchNorm = vgg.layers().stream().filter(l -> l instanceof BatchNorm2d).reduce((a, b) -> b)
                    .orElseThrow();
            backend.fill(lastBatchNorm.parameters().get(0).value(), 3f);

            assertArrayEquals(first, backend.download(vgg.infer(images)),
                    "written behind the model's back, the weights are not folded again for the next batch");

            vgg.weightsChanged();
            float[] refolded = backend.download(vgg.infer(images));
            assertNear("after weightsChanged", evalForward(vgg, images), refolded, FOLDED_TOLERANCE);
            assertFar("the new gamma reached the logits", first, refolded);
        }
    }

    @Test
    void aTrainingForwardAndLoadingAStateDictFoldAgain() throws Exception {
        try (Tensor images = backend.upload(GradientCheck.uniform(in.size(), 3L, 1f), in);
             Tensor other = backend.upload(GradientCheck.uniform(in.size(), 4L, 2f), in);
             Vgg vgg = trainedVgg(images)) {
            Map<String, TensorEntry> saved = vgg.stateDict();
            float[] atSave = backend.download(vgg.infer(images));

            vgg.train(true);
            vgg.forward(other); // moves the running statistics
            float[] afterStep = backend.download(vgg.infer(images));
            assertNear("after a training forward", evalForward(vgg, images), afterStep, FOLDED_TOLERANCE);
            assertFar("new running statistics reached the logits", atSave, afterStep);

            vgg.loadStateDict(saved, "saved");
            assertNear("after loadStateDict", atSave, backend.download(vgg.infer(images)), FOLDED_TOLERANCE);
        }
    }

    @Test
    void inferKeepsTheModeAndTheTrainingForwardsSavedState() {
        Shape logitsShape = Shape.matrix(in.n(), 10);
        try (Tensor images = backend.upload(GradientCheck.uniform(in.size(), 5L, 1f), in);
             Tensor gradLogits = backend.upload(GradientCheck.uniform(logitsShape.size(), 6L, 1f), logitsShape);
             Vgg vgg = Vgg.create(backend, VggConfig.named("vgg11_bn").withWidth(1.0 / 16).withDropout(0f))) {
            vgg.forward(images);
            float[] expected = backend.download(vgg.backward(gradLogits));

            vgg.forward(images);
            Tensor logits = vgg.infer(images);
            assertTrue(vgg.isTraining(), "infer leaves training mode on");
            float[] between = backend.download(vgg.backward(gradLogits));

            assertArrayEquals(expected, between, "an infer between forward and backward changes no gradient");
            int live = ReferenceBackend.live(backend);
            assertSame(logits, vgg.infer(images), "the logits tensor is reused");
            assertEquals(live, ReferenceBackend.live(backend), "a second infer allocates no tensor");
        }
    }

    @Test
    void inferChecksTheImagesShape() {
        Shape wrong = Shape.nchw(2, 1, 32, 32);
        try (Tensor images = backend.allocate(wrong, 0f);
             Vgg vgg = Vgg.create(backend, VggConfig.named("vgg11_bn").withWidth(1.0 / 32))) {
            ShapeException e = assertThrows(ShapeException.class, () -> vgg.infer(images));
            assertTrue(e.getMessage().contains("[N, 3, 32, 32]"), e.getMessage());
        }
    }
}
