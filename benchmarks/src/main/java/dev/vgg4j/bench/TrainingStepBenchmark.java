package dev.vgg4j.bench;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.CrossEntropyLoss;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One VGG16-BN training step as the trainer runs it (forward, softmax cross-entropy with sum,
 * backward, Adam), on one batch that stays on the backend; images/s = batch / step time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TrainingStepBenchmark extends Vgg16BnBatchState {
    private Adam adam;
    private CrossEntropyLoss loss;
    private Tensor labels;

    @Setup
    public void setUp() {
        createModelAndImages(true);
        adam = new Adam(b, model.parameters(), AdamParams.adam(1e-3f));
        loss = new CrossEntropyLoss(b, Reduction.SUM);
        int[] classes = new int[batch];
        for (int i = 0; i < batch; i++) {
            classes[i] = random.nextInt(10);
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
}
