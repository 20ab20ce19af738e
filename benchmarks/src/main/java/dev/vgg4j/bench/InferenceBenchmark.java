package dev.vgg4j.bench;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Backends;
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

/**
 * One VGG16-BN inference pass as {@code evaluate} and {@code predict} run it: the model in eval mode
 * (running batch-norm statistics, no dropout), logits of one batch that stays on the backend;
 * images/s = batch / pass time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InferenceBenchmark {
    /** A provider name: reference, cpu, or tornado (a TornadoVM device; its forks need jvm-args.sh's options). */
    @Param({"cpu"})
    public String backend;

    @Param({"2"})
    public int threads;

    /** The cpu backend's convolution algorithm (auto, im2col, winograd); other backends ignore it. */
    @Param({"auto"})
    public String convAlgorithm;

    @Param({"128"})
    public int batch;

    @Param({"32"})
    public int imageSize;

    private Backend b;
    private Fence fence;
    private Vgg model;
    private Tensor images;

    @Setup
    public void setUp() {
        b = Backends.create(backend, BackendSettings.options(threads, convAlgorithm));
        fence = new Fence(b);
        model = Vgg.create(b, VggConfig.named("vgg16_bn").withImageSize(imageSize));
        model.train(false);
        Shape in = Shape.nchw(batch, 3, imageSize, imageSize);
        images = b.upload(GemmBenchmark.random(new SplittableRandom(3), in.size()), in);
    }

    @Benchmark
    public Tensor forward() {
        Tensor logits = model.forward(images);
        fence.await();
        return logits;
    }

    @TearDown
    public void tearDown() {
        b.close();
    }
}
