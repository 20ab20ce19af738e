package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/** The AdaptiveAvgPool2d layer: its backward against central differences, shapes and tensor ownership. */
class AdaptiveAvgPool2dTest {
    private final Backend backend = ReferenceBackend.create();

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void gradientWithOverlappingAndRepeatingWindows() {
        // 5 -> 3 overlaps windows, 2 -> 7 repeats input columns.
        Shape in = Shape.nchw(2, 3, 5, 2);
        try (AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(backend, 3, 7)) {
            int checked = new GradientCheck(backend, pool, GradientCheck.uniform(in.size(), 14L, 1f), in).run(2e-3, 1e-2);
            assertEquals(40, checked);
        }
    }

    @Test
    void gradientOfTorchvisionsClassifierEntryAtSmallInput() {
        // A 1x1 map spread over 7x7, flattened into a Linear, as torchvision's VGG at 32x32 input.
        Shape in = Shape.nchw(2, 2, 1, 1);
        try (Sequential head = new Sequential(List.of(new AdaptiveAvgPool2d(backend, 7, 7), new Flatten(),
                new Linear(backend, "classifier.0", 2 * 49, 3, 15L)))) {
            int checked = new GradientCheck(backend, head, GradientCheck.uniform(in.size(), 16L, 1f), in).run(2e-3, 1e-2);
            assertTrue(checked > 40, "input and both parameters checked, got " + checked);
        }
    }

    @Test
    void sevenBySevenInputPassesThroughUnchanged() {
        Shape in = Shape.nchw(1, 2, 7, 7);
        float[] x = GradientCheck.uniform(in.size(), 17L, 1f);
        try (AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(backend, 7, 7); Tensor input = backend.upload(x, in)) {
            Tensor y = pool.forward(input);
            assertEquals(in, y.shape());
            assertArrayEquals(x, backend.download(y));
        }
    }

    @Test
    void outputShapeAndReuse() {
        try (AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(backend, 7, 7);
             Tensor small = backend.allocate(Shape.nchw(4, 8, 1, 1), 1f);
             Tensor large = backend.allocate(Shape.nchw(4, 8, 14, 14), 2f)) {
            assertEquals(Shape.nchw(4, 8, 7, 7), pool.outputShape(Shape.nchw(4, 8, 3, 3)));
            Tensor first = pool.forward(small);
            Tensor again = pool.forward(large);
            assertTrue(first == again, "the output is reused while its shape stays the same");
            assertEquals(2f, backend.download(again)[0]);
            ShapeException e = assertThrows(ShapeException.class, () -> pool.outputShape(Shape.matrix(4, 8)));
            assertTrue(e.getMessage().contains("AdaptiveAvgPool2d") && e.getMessage().contains("[4, 8]"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(backend, 0, 7));
    }

    @Test
    void closeFreesWhatTheLayerAllocated() {
        Tensor input = backend.allocate(Shape.nchw(2, 3, 3, 3), 1f);
        int before = ReferenceBackend.live(backend);
        AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(backend, 7, 7);
        Tensor y = pool.forward(input);
        pool.backward(y);
        assertEquals(before + 2, ReferenceBackend.live(backend));
        pool.close();
        assertEquals(before, ReferenceBackend.live(backend));
    }
}
