package dev.vgg4j.spark;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.TensorBuffer;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.Optimizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;

/**
 * A reducer's optimizer over one slice {@code [L]} of the flat parameters: the run's optimizer
 * (made by its {@link Optimizer.Factory}) over a single parameter, the slice, on the run's backend.
 * The update is elementwise, so it is the driver's update of those elements.
 * <p>It stays in the executor between steps ({@link ExecutorPool}), holding the slice's weights and
 * optimizer state at the version it last stored: a step that starts from that version uses them
 * as they are; any other (a new executor, a slice that moved, a retried task whose attempt failed
 * and closed it) reads them from the version's blocks first. So the state it steps from is always
 * the blocks', and a retried task gives the same bits.
 */
final class SliceOptimizer implements ExecutorPool.Item {
    private static final String SOURCE = "the run's optimizer metadata";

    private final Backend backend;
    private final Tensor value;
    private final Tensor grad;
    private final Optimizer optimizer;
    /** The summed gradient [L] on the host, then the host copy of what is loaded or stored. */
    private final float[] host;
    /** The version whose weights and state the tensors hold; -1: none. */
    private long version = -1;

    private SliceOptimizer(SliceExchange.Spec spec, int slice) {
        int threads = spec.threads() > 0 ? spec.threads() : TaskContext.get().cpus();
        this.backend = Backends.create(spec.backend(), BackendOptions.defaults().withThreads(threads));
        Shape shape = Shape.of(spec.length(slice));
        this.value = backend.allocate(shape);
        this.grad = backend.allocate(shape);
        this.optimizer = spec.optimizer().create(backend, List.of(new Parameter("slice", value, grad)));
        if (optimizer.stateBuffers().size() != spec.stateKinds()) {
            close();
            throw new IllegalStateException("the optimizer has " + optimizer.stateBuffers().size()
                    + " kinds of state, expected " + spec.stateKinds());
        }
        this.host = new float[spec.length(slice)];
    }

    /** Runs {@code use} on this executor's optimizer of slice {@code slice} (or a new one); one whose use failed is closed. */
    static <R> R with(SliceExchange.Spec spec, int slice, ExecutorPool.Use<SliceOptimizer, R> use) throws Exception {
        return ExecutorPool.with(spec.run() + "/slice-" + slice, SliceOptimizer.class,
                () -> new SliceOptimizer(spec, slice), use);
    }

    /** Where the reducer sums the slice's gradient [L] before {@link #step}. */
    float[] gradient() {
        return host;
    }

    /**
     * The optimizer's step from {@code version} with the summed {@link #gradient()}, after taking
     * {@code metadata} (its step count) and {@code learningRate}. Returns its metadata after the step.
     */
    HashMap<String, String> step(SliceExchange.Spec spec, int slice, long version, Map<String, String> metadata,
                                 double learningRate) throws CheckpointException {
        backend.upload(host, grad);
        if (this.version != version) { // not the state this optimizer stored last: the blocks' is the truth
            loadFrom(spec, slice, version);
        }
        optimizer.restoreMetadata(metadata, SOURCE);
        optimizer.setLearningRate(learningRate);
        optimizer.step();
        this.version = version + 1;
        return new HashMap<>(optimizer.stateMetadata());
    }

    /**
     * Stores the weights [L] and each kind of state [L] of the version {@link #step} made, as raw
     * float32 blocks through {@link #host} (the summed gradient is spent by then).
     */
    void store(SliceExchange.Spec spec, int slice) {
        backend.download(value, host);
        SliceBlocks.putFloats(spec.weights(slice, version), host);
        List<Tensor> kinds = stateTensors();
        for (int k = 0; k < kinds.size(); k++) {
            backend.download(kinds.get(k), host);
            SliceBlocks.putFloats(spec.optimizer(k, slice, version), host);
        }
    }

    /** The weights and state of {@code version} from its blocks into the tensors, through {@link #host}. */
    private void loadFrom(SliceExchange.Spec spec, int slice, long version) {
        SliceBlocks.readInto(spec.weights(slice, version), host, 0);
        backend.upload(host, value);
        List<Tensor> kinds = stateTensors();
        for (int k = 0; k < kinds.size(); k++) {
            SliceBlocks.readInto(spec.optimizer(k, slice, version), host, 0);
            backend.upload(host, kinds.get(k));
        }
    }

    /** The optimizer's state tensors [L], one per kind (its buffers are tensors of the state dict). */
    private List<Tensor> stateTensors() {
        return optimizer.stateBuffers().stream().map(b -> {
            if (!(b instanceof TensorBuffer t)) {
                throw new IllegalStateException("the optimizer's state " + b.name() + " is not a float32 tensor ("
                        + b.getClass().getSimpleName() + "); a slice's state must be");
            }
            return t.value();
        }).toList();
    }

    @Override
    public void close() {
        optimizer.close();
        value.close();
        grad.close();
        backend.close();
    }
}
