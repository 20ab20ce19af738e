package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.List;

/**
 * {@code nn.BatchNorm2d(C)} with PyTorch's defaults (eps 1e-5, momentum 0.1, affine, running
 * stats): x {@code [N, C, H, W]} -> y {@code [N, C, H, W]}. Training mode normalises with the
 * batch statistics and updates the running ones (unbiased variance); evaluation mode normalises
 * with the running statistics. weight (gamma) starts at 1, bias (beta) at 0, running mean at 0,
 * running var at 1.
 *
 * <p>Backward is defined for a training-mode forward only (the trainer never differentiates
 * through an evaluation forward).
 */
public final class BatchNorm2d implements Layer {
    static final float MOMENTUM = 0.1f;
    static final float EPS = 1e-5f;

    private final Backend backend;
    private final String name;
    private final Parameter weight;
    private final Parameter bias;
    private final TensorBuffer runningMean;
    private final TensorBuffer runningVar;
    private final BatchCounter numBatchesTracked;
    /** Batch mean and 1/sqrt(var + eps) of the last training forward, {@code [C]}, for the backward. */
    private final Tensor saveMean;
    private final Tensor saveInvStd;
    private final OwnedTensor output;
    private final OwnedTensor gradInput;
    private boolean training = true;
    private Tensor input;

    /** @param name state-dict prefix, e.g. {@code features.1} */
    public BatchNorm2d(Backend backend, String name, int channels) {
        this.backend = backend;
        this.name = name;
        Shape c = Shape.of(channels);
        this.weight = new Parameter(name + ".weight", backend.allocate(c, 1f), backend.allocate(c, 0f));
        this.bias = new Parameter(name + ".bias", backend.allocate(c, 0f), backend.allocate(c, 0f));
        this.runningMean = new TensorBuffer(name + ".running_mean", backend.allocate(c, 0f));
        this.runningVar = new TensorBuffer(name + ".running_var", backend.allocate(c, 1f));
        this.numBatchesTracked = new BatchCounter(name + ".num_batches_tracked");
        this.saveMean = backend.allocate(c, 0f);
        this.saveInvStd = backend.allocate(c, 0f);
        this.output = new OwnedTensor(backend);
        this.gradInput = new OwnedTensor(backend);
    }

    @Override
    public Shape outputShape(Shape in) {
        int channels = weight.value().size();
        if (in.rank() != 4 || in.c() != channels) {
            throw new ShapeException(name + ": input has shape " + in + ", expected [N, " + channels + ", H, W]");
        }
        return in;
    }

    /** x {@code [N, C, H, W]} -> y {@code [N, C, H, W]} (a separate tensor: the backward needs x). */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = output.of(outputShape(x.shape()));
        if (training) {
            backend.batchNormTrainForward(x, weight.value(), bias.value(), runningMean.value(), runningVar.value(),
                    MOMENTUM, EPS, y, saveMean, saveInvStd);
            numBatchesTracked.increment();
            input = x;
        } else {
            backend.batchNormInferenceForward(x, weight.value(), bias.value(), runningMean.value(),
                    runningVar.value(), EPS, y);
            input = null;
        }
        return y;
    }

    /** gradY {@code [N, C, H, W]} -> gradX {@code [N, C, H, W]}; writes gamma and beta grads. */
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException(name + ": backward needs a training-mode forward first");
        }
        Tensor gx = gradInput.of(input.shape());
        backend.batchNormBackward(input, gradOutput, weight.value(), saveMean, saveInvStd, gx, weight.grad(),
                bias.grad());
        return gx;
    }

    /**
     * Evaluation mode as one multiply-add per channel, {@code y = x * scale + shift}, computed on
     * the host in double from the current parameters and running statistics (waits for pending
     * ops): {@code scale = gamma / sqrt(runningVar + eps)}, {@code shift = beta - runningMean * scale}.
     * What the inference path folds into the convolution before this layer.
     */
    Affine evaluationAffine() {
        float[] gamma = backend.download(weight.value());
        float[] beta = backend.download(bias.value());
        float[] mean = backend.download(runningMean.value());
        float[] var = backend.download(runningVar.value());
        double[] scale = new double[gamma.length];
        double[] shift = new double[gamma.length];
        for (int c = 0; c < gamma.length; c++) {
            scale[c] = gamma[c] / Math.sqrt((double) var[c] + EPS);
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        return new Affine(scale, shift);
    }

    /** Per channel {@code [C]}: {@code y = x * scale + shift}. */
    record Affine(double[] scale, double[] shift) {}

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /** running_mean, running_var ({@code [C]}, float32) and num_batches_tracked (int64 scalar), torchvision's order. */
    @Override
    public List<Buffer> buffers() {
        return List.of(runningMean, runningVar, numBatchesTracked);
    }

    @Override
    public void train(boolean training) {
        this.training = training;
    }

    /** How many training forwards this layer has seen (torchvision's {@code num_batches_tracked}). */
    public long numBatchesTracked() {
        return numBatchesTracked.count;
    }

    @Override
    public void close() {
        LayerState.close(weight, bias);
        LayerState.close(runningMean.value(), runningVar.value(), saveMean, saveInvStd);
        output.close();
        gradInput.close();
    }

    /** torchvision keeps this counter as an int64 scalar tensor (shape {@code []}); here it lives on the host. */
    private static final class BatchCounter implements Buffer {
        private final String name;
        private long count;

        BatchCounter(String name) {
            this.name = name;
        }

        void increment() {
            count++;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TensorEntry save() {
            return TensorEntry.i64(name, new int[0], new long[] {count});
        }

        @Override
        public void load(TensorEntry entry, String source) throws CheckpointException {
            count = entry.scalarLong(source);
        }
    }
}
