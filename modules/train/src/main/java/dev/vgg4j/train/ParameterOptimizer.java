package dev.vgg4j.train;

import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.TensorBuffer;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Adam and SGD share: the parameters, one zero-initialised state tensor per parameter and
 * state kind (named as PyTorch's optimizer state, e.g. {@code exp_avg}), the learning rate and the
 * step count.
 */
abstract class ParameterOptimizer implements Optimizer {
    private static final String STEPS = "optimizer.steps";
    private static final String LR = "optimizer.lr";

    protected final Backend backend;
    protected final List<Parameter> parameters;
    /** {@code state.get(k).get(i)}: state kind k of parameter i. */
    protected final List<List<Tensor>> state = new ArrayList<>();
    private final List<Buffer> buffers = new ArrayList<>();
    protected double lr;
    protected long steps;

    ParameterOptimizer(Backend backend, List<Parameter> parameters, double lr, List<String> stateKinds) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        }
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        setLearningRate(lr);
        for (String kind : stateKinds) {
            List<Tensor> tensors = new ArrayList<>();
            for (Parameter p : parameters) {
                Tensor t = backend.allocate(p.value().shape(), 0f);
                tensors.add(t);
                buffers.add(new TensorBuffer("optimizer." + p.name() + "." + kind, t));
            }
            state.add(tensors);
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + lr);
        }
        this.lr = lr;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public List<Buffer> stateBuffers() {
        return List.copyOf(buffers);
    }

    @Override
    public Map<String, String> stateMetadata() {
        return Map.of(STEPS, Long.toString(steps), LR, Double.toString(lr));
    }

    @Override
    public void restoreMetadata(Map<String, String> metadata, String source) throws CheckpointException {
        long restored = CheckpointMetadata.getLong(metadata, STEPS, source);
        if (restored < 0) {
            throw new CheckpointException(source + ": metadata '" + STEPS + "' = " + restored + ", expected 0 or more");
        }
        steps = restored;
        setLearningRate(CheckpointMetadata.getDouble(metadata, LR, source));
    }

    @Override
    public void close() {
        state.forEach(list -> list.forEach(Tensor::close));
    }
}
