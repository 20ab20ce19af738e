package dev.vgg4j.bench;

import dev.vgg4j.spi.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One VGG16-BN inference pass as {@code evaluate}, {@code predict} and validation run it:
 * {@code Model.infer}, the evaluation-mode forward with batch norm folded into the convolutions
 * (folded once, at the first pass: the weights do not change) and ReLU fused into them, logits of
 * one batch that stays on the backend; images/s = batch / pass time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InferenceBenchmark extends Vgg16BnBatchState {
    @Setup
    public void setUp() {
        createModelAndImages(false);
    }

    @Benchmark
    public Tensor forward() {
        Tensor logits = model.infer(images);
        fence.await();
        return logits;
    }
}
