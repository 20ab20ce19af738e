package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cpu backend's own code paths against the scalar reference backend, on shapes the conformance
 * kit does not reach: convolutions whose maps have 1024+ positions (one image per GEMM, written in
 * place), batches that do not divide into equal chunks (nor, for Winograd across images, into whole
 * vectors of images), and dropout over several parallel chunks.
 */
class CpuMatchesReferenceTest {
    private static final double TOLERANCE = 2e-4;

    private final Backend cpu = Backends.create("cpu", BackendOptions.defaults().withThreads(2));
    private final Backend ref = Backends.create("reference", BackendOptions.defaults());
    private final SplittableRandom rnd = new SplittableRandom(7);

    @AfterEach
    void close() {
        cpu.close();
        ref.close();
    }

    /** The same tensor on both backends. */
    private record Pair(Tensor cpu, Tensor ref) {}

    private Pair random(Shape shape) {
        float[] x = new float[shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return new Pair(cpu.upload(x, shape), ref.upload(x, shape));
    }

    private Pair constant(Shape shape, float value) {
        return new Pair(cpu.allocate(shape, value), ref.allocate(shape, value));
    }

    private void assertClose(Pair p, String what) {
        float[] expected = ref.download(p.ref());
        float[] actual = cpu.download(p.cpu());
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], TOLERANCE * scale, what + "[" + i + "]");
        }
    }

    @ParameterizedTest(name = "x [{0},{1},{2},{3}] w [{4},{1},{5},{6}] stride {7} pad {8}")
    @CsvSource({
        "3, 5, 9, 7, 4, 3, 3, 1, 1",      // several images per GEMM
        "13, 2, 10, 10, 3, 3, 3, 1, 1",   // chunks of 10 images, then 3
        "2, 3, 34, 33, 8, 3, 3, 1, 1",    // one image per GEMM, written in place
        "2, 4, 11, 10, 3, 3, 2, 2, 0",    // stride 2, no padding, non-square kernel
        "5, 16, 2, 2, 17, 3, 3, 1, 1",    // VGG's last 2x2 layer shape, partial tiles
        "20, 16, 5, 7, 9, 3, 3, 1, 1",    // Winograd across images: odd edges, chunks of 16 and 4 images
        "3, 16, 9, 17, 5, 3, 3, 1, 1",    // Winograd along tile rows (9 a row), odd edges
    })
    void convolutionForwardAndBothGradients(int n, int c, int h, int w, int f, int kh, int kw, int stride,
                                            int padding) {
        Conv2dSpec spec = new Conv2dSpec(stride, padding);
        Shape in = Shape.nchw(n, c, h, w);
        Shape out = Shape.nchw(n, f, spec.outputSize(h, kh), spec.outputSize(w, kw));
        Pair x = random(in);
        Pair weight = random(Shape.nchw(f, c, kh, kw));
        Pair bias = random(Shape.of(f));
        Pair y = constant(out, Float.NaN);
        cpu.conv2dForward(x.cpu(), weight.cpu(), bias.cpu(), spec, y.cpu());
        ref.conv2dForward(x.ref(), weight.ref(), bias.ref(), spec, y.ref());
        assertClose(y, "y");

        Pair gy = random(out);
        Pair gx = constant(in, Float.NaN);
        cpu.conv2dBackwardInput(gy.cpu(), weight.cpu(), spec, gx.cpu());
        ref.conv2dBackwardInput(gy.ref(), weight.ref(), spec, gx.ref());
        assertClose(gx, "gradInput");

        Pair gw = constant(weight.cpu().shape(), Float.NaN);
        Pair gb = constant(Shape.of(f), Float.NaN);
        cpu.conv2dBackwardWeight(x.cpu(), gy.cpu(), spec, gw.cpu(), gb.cpu());
        ref.conv2dBackwardWeight(x.ref(), gy.ref(), spec, gw.ref(), gb.ref());
        assertClose(gw, "gradWeight");
        assertClose(gb, "gradBias");
    }

    @Test
    void dropoutMaskIsCounterRngKeep() {
        Shape s = Shape.matrix(3, 70_001);
        float p = 0.3f;
        long seed = 1234;
        Pair x = random(s);
        Pair y = constant(s, Float.NaN);
        Pair mask = constant(s, Float.NaN);
        cpu.dropoutForward(x.cpu(), p, seed, y.cpu(), mask.cpu());
        float[] m = cpu.download(mask.cpu());
        for (int i = 0; i < m.length; i++) {
            assertEquals(CounterRng.keep(seed, i, p) ? 1f / (1f - p) : 0f, m[i], "mask[" + i + "]");
        }
        ref.dropoutForward(x.ref(), p, seed, y.ref(), mask.ref());
        assertClose(y, "y");
        Pair gy = random(s);
        Pair gx = constant(s, Float.NaN);
        cpu.dropoutBackward(gy.cpu(), mask.cpu(), gx.cpu());
        ref.dropoutBackward(gy.ref(), mask.ref(), gx.ref());
        assertClose(gx, "gradX");
    }
}
