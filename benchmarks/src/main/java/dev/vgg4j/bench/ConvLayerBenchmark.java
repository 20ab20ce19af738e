package dev.vgg4j.bench;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A VGG16 conv layer's training work: forward, gradient to input, gradient to weight and bias. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvLayerBenchmark {
    /** A provider name: reference, cpu, or tornado (a TornadoVM device; its forks need jvm-args.sh's options). */
    @Param({"cpu"})
    public String backend;

    @Param({"2"})
    public int threads;

    /** The cpu backend's convolution algorithm (auto, im2col, winograd); other backends ignore it. */
    @Param({"auto"})
    public String convAlgorithm;

    @Param({"conv3_2@32"})
    public String layer;

    @Param({"8"})
    public int batch;

    private Backend b;
    private Fence fence;
    private Tensor x;
    private Tensor w;
    private Tensor bias;
    private Tensor y;
    private Tensor gy;
    private Tensor gx;
    private Tensor gw;
    private Tensor gb;

    @Setup
    public void setUp() {
        VggLayers.Layer l = VggLayers.layer(layer);
        b = Backends.create(backend, BackendSettings.options(threads, convAlgorithm));
        fence = new Fence(b);
        SplittableRandom rnd = new SplittableRandom(2);
        Shape in = Shape.nchw(batch, l.c(), l.size(), l.size());
        Shape out = Shape.nchw(batch, l.f(), l.size(), l.size());
        Shape weight = Shape.nchw(l.f(), l.c(), 3, 3);
        x = b.upload(GemmBenchmark.random(rnd, in.size()), in);
        w = b.upload(GemmBenchmark.random(rnd, weight.size()), weight);
        bias = b.upload(GemmBenchmark.random(rnd, l.f()), Shape.of(l.f()));
        gy = b.upload(GemmBenchmark.random(rnd, out.size()), out);
        y = b.allocate(out);
        gx = b.allocate(in);
        gw = b.allocate(weight);
        gb = b.allocate(Shape.of(l.f()));
    }

    @Benchmark
    public Tensor forwardAndBackward() {
        b.conv2dForward(x, w, bias, Conv2dSpec.VGG, y);
        b.conv2dBackwardInput(gy, w, Conv2dSpec.VGG, gx);
        b.conv2dBackwardWeight(x, gy, Conv2dSpec.VGG, gw, gb);
        fence.await();
        return gw;
    }

    @TearDown
    public void tearDown() {
        b.close();
    }
}
