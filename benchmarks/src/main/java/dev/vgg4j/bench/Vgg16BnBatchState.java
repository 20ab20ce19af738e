package dev.vgg4j.bench;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the whole-model benchmarks share: a VGG16-BN on the named backend and one random batch of
 * images {@code [batch, 3, imageSize, imageSize]} that stays on it.
 */
@State(Scope.Benchmark)
public abstract class Vgg16BnBatchState {
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

    protected Backend b;
    protected Fence fence;
    protected Vgg model;
    protected Tensor images;
    /** Drew the images; a subclass draws whatever else its batch needs (labels) from it next. */
    protected SplittableRandom random;

    /** Creates the backend, the model (in training or eval mode) and the batch of images. */
    protected final void createModelAndImages(boolean training) {
        b = Backends.create(backend, BackendSettings.options(threads, convAlgorithm));
        fence = new Fence(b);
        model = Vgg.create(b, VggConfig.named("vgg16_bn").withImageSize(imageSize));
        model.train(training);
        random = new SplittableRandom(3);
        Shape in = Shape.nchw(batch, 3, imageSize, imageSize);
        images = b.upload(GemmBenchmark.random(random, in.size()), in);
    }

    @TearDown
    public void tearDown() {
        b.close();
    }
}
