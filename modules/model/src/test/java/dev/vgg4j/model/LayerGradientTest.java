package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every layer's backward against central differences through the layer, on small shapes. */
class LayerGradientTest {
    private final Backend backend = ReferenceBackend.create();

    @AfterEach
    void close() {
        backend.close();
    }

    private int check(Layer layer, Shape in, float[] x) {
        return new GradientCheck(backend, layer, x, in).run(2e-3, 1e-2);
    }

    @Test
    void conv2d() {
        Shape in = Shape.nchw(2, 3, 5, 4);
        try (Conv2d conv = new Conv2d(backend, "features.0", 3, 4, 1L)) {
            assertTrue(check(conv, in, GradientCheck.uniform(in.size(), 5L, 1f)) > 40);
        }
    }

    @Test
    void linear() {
        Shape in = Shape.matrix(3, 7);
        try (Linear linear = new Linear(backend, "classifier.0", 7, 5, 2L)) {
            check(linear, in, GradientCheck.uniform(in.size(), 6L, 1f));
        }
    }

    @Test
    void batchNormInTrainingMode() {
        Shape in = Shape.nchw(3, 2, 3, 3);
        try (BatchNorm2d bn = new BatchNorm2d(backend, "features.1", 2)) {
            // Non-trivial gamma and beta so their gradients and the scale path are both exercised.
            backend.upload(new float[] {1.5f, -0.7f}, bn.parameters().get(0).value());
            backend.upload(new float[] {0.3f, 0.2f}, bn.parameters().get(1).value());
            float[] x = GradientCheck.uniform(in.size(), 7L, 2f);
            new GradientCheck(backend, bn, x, in).run(5e-3, 2e-2);
        }
    }

    @Test
    void reluOutOfPlaceAndInPlace() {
        Shape in = Shape.nchw(2, 2, 3, 3);
        float[] x = GradientCheck.distinct(in.size(), 8L);
        for (boolean inPlace : List.of(false, true)) {
            try (ReLU relu = new ReLU(backend, inPlace)) {
                check(relu, in, x);
            }
        }
    }

    @Test
    void maxPoolWithOddSizeFloors() {
        Shape in = Shape.nchw(2, 2, 5, 4);
        try (MaxPool2d pool = new MaxPool2d(backend)) {
            check(pool, in, GradientCheck.distinct(in.size(), 9L));
        }
    }

    @Test
    void dropoutWithAFixedSeed() {
        Shape in = Shape.matrix(4, 10);
        DropoutSeeds seeds = new DropoutSeeds(1234L);
        try (Dropout dropout = new Dropout(backend, 0.5f, seeds)) {
            // the same mask in every forward of the check
            new GradientCheck(backend, dropout, GradientCheck.uniform(in.size(), 10L, 1f), in, () -> seeds.restore(0), GradientCheck.DEFAULT_EPS)
                    .run(2e-3, 1e-2);
        }
    }

    @Test
    void flattenThenLinear() {
        Shape in = Shape.nchw(2, 3, 2, 2);
        try (Sequential seq = new Sequential(List.of(new Flatten(), new Linear(backend, "classifier.0", 12, 3, 3L)))) {
            check(seq, in, GradientCheck.uniform(in.size(), 11L, 1f));
        }
    }

    @Test
    void convBlockAsInTheRecipe() {
        Shape in = Shape.nchw(2, 2, 4, 4);
        try (Sequential block = new Sequential(List.of(new Conv2d(backend, "features.0", 2, 3, 4L),
                new BatchNorm2d(backend, "features.1", 3), new ReLU(backend, true), new MaxPool2d(backend)))) {
            new GradientCheck(backend, block, GradientCheck.uniform(in.size(), 12L, 1f), in).run(5e-3, 2e-2);
        }
    }

    @Test
    void theCheckCatchesAWrongBackward() {
        Shape in = Shape.matrix(2, 3);
        try (Linear linear = new Linear(backend, "classifier.0", 3, 2, 5L)) {
            Layer offByTenPercent = new Layer() {
                @Override
                public Tensor forward(Tensor input) {
                    return linear.forward(input);
                }

                @Override
                public Tensor backward(Tensor gradOutput) {
                    Tensor g = linear.backward(gradOutput);
                    backend.scale(g, 1.1f);
                    return g;
                }

                @Override
                public Shape outputShape(Shape input) {
                    return linear.outputShape(input);
                }
            };
            assertThrows(AssertionError.class, () -> check(offByTenPercent, in, GradientCheck.uniform(in.size(), 13L, 1f)));
        }
    }
}
