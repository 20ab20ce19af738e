package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole networks: a width-1/16 vgg16_bn on a batch of two 32x32 images, and a gradient check through a tiny VGG. */
class TinyVggTest {
    private final Backend backend = ReferenceBackend.create();

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void vgg16BnAtOneSixteenthWidthStepsWithoutAllocatingAfterTheFirstStep() {
        VggConfig config = VggConfig.named("vgg16_bn").withWidth(1.0 / 16).withSeed(3);
        Shape in = Shape.nchw(2, 3, 32, 32);
        try (Vgg vgg = Vgg.create(backend, config); Tensor images = backend.upload(GradientCheck.uniform(in.size(), 1L, 1f), in);
                Tensor gradLogits = backend.upload(GradientCheck.uniform(20, 2L, 1f), Shape.matrix(2, 10))) {
            Tensor logits = vgg.forward(images);
            assertEquals(Shape.matrix(2, 10), logits.shape());
            Tensor gradImages = vgg.backward(gradLogits);
            assertEquals(in, gradImages.shape());
            int liveAfterFirstStep = ReferenceBackend.live(backend);

            assertTrue(vgg.forward(images) == logits, "the logits tensor is reused");
            vgg.backward(gradLogits);
            assertEquals(liveAfterFirstStep, ReferenceBackend.live(backend), "a second step allocates nothing");

            for (float v : backend.download(logits)) {
                assertTrue(Float.isFinite(v));
            }
            for (Parameter p : vgg.parameters()) {
                double norm = 0;
                for (float g : backend.download(p.grad())) {
                    norm += (double) g * g;
                }
                assertTrue(norm > 0 && Double.isFinite(norm), p.name() + " receives a gradient");
            }
        }
    }

    @Test
    void closingTheModelFreesEverything() {
        int before = ReferenceBackend.live(backend);
        Shape in = Shape.nchw(2, 1, 32, 32);
        Vgg vgg = Vgg.create(backend, VggConfig.named("vgg11_bn").withWidth(1.0 / 32).withInChannels(1));
        try (Tensor images = backend.upload(GradientCheck.uniform(in.size(), 1L, 1f), in);
                Tensor gradLogits = backend.allocate(Shape.matrix(2, 10), 1f)) {
            vgg.forward(images);
            vgg.backward(gradLogits);
        }
        assertTrue(ReferenceBackend.live(backend) > before);
        vgg.close();
        assertEquals(before, ReferenceBackend.live(backend));
    }

    @Test
    void aWrongInputShapeNamesTheModelAndTheExpectedShape() {
        try (Vgg vgg = Vgg.create(backend, VggConfig.named("vgg11_bn").withWidth(1.0 / 32));
                Tensor images = backend.allocate(Shape.nchw(2, 3, 28, 28), 0f)) {
            ShapeException e = assertThrows(ShapeException.class, () -> vgg.forward(images));
            assertTrue(e.getMessage().contains("vgg11_bn") && e.getMessage().contains("[N, 3, 32, 32]"), e.getMessage());
        }
    }

    /**
     * Central differences through a whole tiny VGG in training mode (BN on batch stats, dropout on):
     * the dropout seed state is restored before each forward so every evaluation uses the same masks.
     */
    @Test
    void wholeModelGradientMatchesCentralDifferences() {
        VggConfig config = VggConfig.custom(List.of(3, "M", 4, "M")).withImageSize(8).withWidth(1.0 / 1024).withSeed(9);
        Shape in = Shape.nchw(3, 3, 8, 8);
        try (Vgg vgg = Vgg.create(backend, config)) {
            assertEquals(4, config.scaled(VggConfig.HIDDEN));
            int checked = new GradientCheck(backend, vgg, GradientCheck.uniform(in.size(), 4L, 1f), in,
                    () -> vgg.dropoutSeeds().restore(0), 1e-3f).run(5e-3, 3e-2);
            assertTrue(checked > 100, "checked " + checked);
        }
    }
}
