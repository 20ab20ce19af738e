package dev.vgg4j.spark;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.Optimizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;

/**
 * A reducer's optimizer step on one slice of the flat parameters: the run's optimizer (made by its
 * {@link Optimizer.Factory}) over a single parameter, the slice {@code [L]}, on the run's backend.
 * The update is elementwise, so it is the driver's update of those elements.
 */
final class SliceOptimizer {
    private static final String SOURCE = "the run's optimizer state";

    /** A backend kept in the executor for the reducers of a run. */
    private record PooledBackend(Backend backend) implements ExecutorPool.Item {
        @Override
        public void close() {
            backend.close();
        }
    }

    private SliceOptimizer() {}

    /**
     * Updates {@code weights} [L] and {@code state} [K][L] (kind-major) in place from the summed
     * {@code gradient} [L]; the optimizer first takes {@code metadata} (its step count) and
     * {@code learningRate}. Returns its metadata after the step.
     */
    static HashMap<String, String> step(SliceExchange.Spec spec, float[] weights, float[] gradient, float[] state,
                                        Map<String, String> metadata, double learningRate) throws Exception {
        String key = spec.run() + "/optimizer-backend";
        PooledBackend pooled = ExecutorPool.take(key, PooledBackend.class, () -> new PooledBackend(Backends.create(
                spec.backend(), BackendOptions.defaults().withThreads(spec.threads() > 0 ? spec.threads()
                        : TaskContext.get().cpus()))));
        HashMap<String, String> after;
        try {
            after = stepOn(pooled.backend(), spec, weights, gradient, state, metadata, learningRate);
        } catch (Exception | Error e) {
            pooled.close();
            throw e;
        }
        ExecutorPool.giveBack(key, pooled);
        return after;
    }

    private static HashMap<String, String> stepOn(Backend backend, SliceExchange.Spec spec, float[] weights,
                                                  float[] gradient, float[] state, Map<String, String> metadata,
                                                  double learningRate) throws Exception {
        int length = weights.length;
        Shape shape = Shape.of(length);
        try (Tensor value = backend.upload(weights, shape);
                Tensor grad = backend.upload(gradient, shape);
                Optimizer optimizer = spec.optimizer().create(backend, List.of(new Parameter("slice", value, grad)))) {
            optimizer.restoreMetadata(metadata, SOURCE);
            optimizer.setLearningRate(learningRate);
            List<Buffer> buffers = optimizer.stateBuffers();
            if (buffers.size() != spec.stateKinds()) {
                throw new IllegalStateException("the optimizer has " + buffers.size() + " kinds of state, expected "
                        + spec.stateKinds());
            }
            for (int k = 0; k < buffers.size(); k++) {
                buffers.get(k).load(TensorEntry.f32(buffers.get(k).name(), new int[] {length},
                        Arrays.copyOfRange(state, k * length, (k + 1) * length)), SOURCE);
            }
            optimizer.step();
            backend.download(value, weights);
            for (int k = 0; k < buffers.size(); k++) {
                System.arraycopy(buffers.get(k).save().floats(), 0, state, k * length, length);
            }
            return new HashMap<>(optimizer.stateMetadata());
        }
    }
}
