package dev.vgg4j.bench;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.CrossEntropyLoss;
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
 * One VGG16-BN training step as the trainer runs it (forward, softmax cross-entropy with sum,
 * backward, Adam), on one batch that stays on the backend; images/s = batch / step time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TrainingStepBenchmark {
    /** A provider name: reference, cpu, or tornado (a TornadoVM device; its forks need jvm-args.sh's options). */
    @Param({"cpu"})
    public String backend;

    @Param({"2"})
    public int threads;

    /** The cpu backend's convolution algorithm (auto, im2col, winograd); other backends ignore it. */
    @Param({"auto"})
    public String convAlgorithm;

    @Param({"32"})
    public int batch;

    @Param({"32"})
    public int imageSize;

    private Backend b;
    private Fence fence;
    private Vgg model;
    private Adam adam;
    private CrossEntropyLoss loss;
    private Tensor images;
    private Tensor labels;

    @Setup
    public void setUp() {
        b = Backends.create(backend, BackendSettings.options(threads, convAlgorithm));
        fence = new Fence(b);
        model = Vgg.create(b, VggConfig.named("vgg16_bn").withImageSize(imageSize));
        model.train(true);
        adam = new Adam(b, model.parameters(), AdamParams.adam(1e-3f));
        loss = new CrossEntropyLoss(b, Reduction.SUM);
        SplittableRandom rnd = new SplittableRandom(3);
        Shape in = Shape.nchw(batch, 3, imageSize, imageSize);
        images = b.upload(GemmBenchmark.random(rnd, in.size()), in);
        int[] classes = new int[batch];
        for (int i = 0; i < batch; i++) {
            classes[i] = rnd.nextInt(10);
        }
        labels = b.allocate(Shape.of(batch));
        b.uploadLabels(classes, labels);
    }

    @Benchmark
    public Tensor step() {
        b.capture("train-step-" + images.shape(), () -> {
            Tensor logits = model.forward(images);
            model.backward(loss.forwardBackward(logits, labels));
            adam.step();
        });
        fence.await();
        return labels;
    }

    @TearDown
    public void tearDown() {
        b.close();
    }
}
