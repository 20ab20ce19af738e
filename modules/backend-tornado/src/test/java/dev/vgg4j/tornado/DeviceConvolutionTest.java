package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.tck.Closeness;
import dev.vgg4j.tck.ConvCase;
import dev.vgg4j.tck.ConvOracle;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Implicit-GEMM convolutions on shapes the conformance kit's do not reach: several 64 x 128 blocks
 * with ragged edges in every GEMM, a 1x1 kernel with stride 2 (input positions no tap reaches get a
 * zero gradient), and GEMMs whose K is split into slices: a weight gradient (K = images x
 * positions), and, on a 3x3 plane, a forward with bias and an input gradient (K = 512 x 3 x 3) whose
 * slices are summed into the [N, C, H, W] tensor through image columns.
 * Outputs start as garbage, so each op must overwrite them.
 */
class DeviceConvolutionTest {
    private static TornadoBackend backend;

    @BeforeAll
    static void tornadoPresent() {
        DeviceFixture.assumeTornado();
        backend = DeviceFixture.backend(256);
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest(name = "n={0} c={1} h={2} w={3} f={4} k={5} stride={6} padding={7}")
    @CsvSource({
        // forward [70, 360] x 125, input gradient [5, 1311] x 1750, weight gradient [70, 125] x 360
        "3, 5, 23, 19, 70, 5, 2, 2",
        "2, 4, 7, 7, 3, 1, 2, 0",
        // weight gradient [8, 27] x 5000: one output block, K split into slices
        "2, 3, 50, 50, 8, 3, 1, 1",
        // forward [8, 18] x 4608, then input gradient [8, 18] x 4608: K split
        "2, 512, 3, 3, 8, 3, 1, 1", "2, 8, 3, 3, 512, 3, 1, 1"})
    void matchesFloat64Oracle(int n, int c, int h, int w, int f, int k, int stride, int padding) {
        ConvCase cc = new ConvCase(n, c, h, w, f, k, stride, padding);
        SplittableRandom random = new SplittableRandom(cc.toString().hashCode());
        float[] x = values(random, cc.input().size());
        float[] weight = values(random, cc.weight().size());
        float[] bias = values(random, f);
        float[] gy = values(random, cc.output().size());
        try (Tensor xt = backend.upload(x, cc.input());
             Tensor wt = backend.upload(weight, cc.weight());
             Tensor bt = backend.upload(bias, Shape.of(f));
             Tensor gyt = backend.upload(gy, cc.output());
             Tensor yt = backend.upload(values(random, cc.output().size()), cc.output());
             Tensor gxt = backend.upload(values(random, cc.input().size()), cc.input());
             Tensor gwt = backend.upload(values(random, cc.weight().size()), cc.weight())) {
            backend.conv2dForward(xt, wt, bt, cc.spec(), yt);
            backend.conv2dBackwardInput(gyt, wt, cc.spec(), gxt);
            backend.conv2dBackwardWeight(xt, gyt, cc.spec(), gwt, null);
            Closeness.assertClose("forward " + cc, backend.download(yt),
                    ConvOracle.forward(cc, doubles(x), doubles(weight), doubles(bias)), tolerance(cc.taps()));
            Closeness.assertClose("backward input " + cc, backend.download(gxt),
                    ConvOracle.backwardInput(cc, doubles(gy), doubles(weight)), tolerance((long) f * k * k));
            Closeness.assertClose("backward weight " + cc, backend.download(gwt),
                    ConvOracle.backwardWeight(cc, doubles(x), doubles(gy)), tolerance(cc.output().size() / f));
        }
    }

    private static double tolerance(long sumLength) {
        return 1e-5 * Math.sqrt(sumLength);
    }

    private static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    private static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
