package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inference forward ({@code conv2dReluForward}) by Winograd keeps each weight tensor's filter
 * transform between calls: it must give the training forward followed by the ReLU, bit for bit, on
 * the first call and on every later one, and notice when the weights' values change in place (a
 * refold after a checkpoint load uploads into the same tensor) or another weight tensor comes in.
 * 8x8 maps run F(4x4), 6x6 and 2x2 maps F(2x2).
 */
class KeptFilterTransformsTest {
    private static final Conv2dSpec SAME = new Conv2dSpec(1, 1);

    @ParameterizedTest(name = "{0}x{0} maps")
    @ValueSource(ints = {8, 6, 2})
    void keptFiltersFollowTheWeightsValues(int size) {
        // 6 filters: the last packed row panel of U is part padding.
        Shape input = Shape.nchw(5, 7, size, size);
        Shape weight = Shape.nchw(6, 7, 3, 3);
        SplittableRandom rnd = new SplittableRandom(11);
        float[] wValues = random(rnd, weight.size());
        BackendOptions options = BackendOptions.defaults().withThreads(2)
                .withExtra(ConvolutionChoice.OPTION, "winograd");
        try (Backend cpu = new CpuBackend(options);
             Tensor x = cpu.upload(random(rnd, input.size()), input);
             Tensor w = cpu.upload(wValues, weight);
             Tensor other = cpu.upload(random(rnd, weight.size()), weight);
             Tensor bias = cpu.upload(random(rnd, 6), Shape.of(6));
             Tensor expected = cpu.allocate(Shape.nchw(5, 6, size, size));
             Tensor actual = cpu.allocate(Shape.nchw(5, 6, size, size))) {
            Runnable check = () -> {
                cpu.conv2dForward(x, w, bias, SAME, expected);
                cpu.reluForward(expected, expected);
                cpu.conv2dReluForward(x, w, bias, SAME, actual);
                assertArrayEquals(cpu.download(expected), cpu.download(actual));
            };
            check.run(); // first call
            check.run(); // the same weights again: the kept transform
            cpu.conv2dForward(x, other, bias, SAME, expected);
            cpu.reluForward(expected, expected);
            cpu.conv2dReluForward(x, other, bias, SAME, actual);
            assertArrayEquals(cpu.download(expected), cpu.download(actual), "another weight tensor");
            wValues[3] += 0.5f;
            cpu.upload(wValues, w);
            check.run(); // the weights changed in place
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        return a;
    }
}
