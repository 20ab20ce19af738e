package dev.vgg4j.spark;

import dev.vgg4j.model.Model;
import dev.vgg4j.train.GradientStep;

/**
 * The model replicas of one executor JVM, kept between steps in the {@link ExecutorPool} so that a
 * step does not rebuild the model. A replica holds no state of the run: each step loads the
 * current weights and buffers into it first.
 */
final class Replicas {

    /**
     * A model, its backend and its gradient step, used by one task at a time, and host arrays shaped
     * as its parameters [M] for the weights on their way in and the gradients on their way out
     * (kept, so that a step allocates none).
     */
    record Replica(Model model, GradientStep step, FlatFloats host) implements ExecutorPool.Item {
        @Override
        public void close() {
            step.close();
            model.close();
            model.backend().close();
        }
    }

    private Replicas() {}

    /** Runs {@code use} on an idle replica of {@code spec}'s run (or a new one); a replica whose use failed is closed. */
    static <R> R with(ReplicaSpec spec, int taskCpus, ExecutorPool.Use<Replica, R> use) throws Exception {
        return ExecutorPool.with(spec.run() + "/replica", Replica.class, () -> {
            Model model = spec.build(taskCpus);
            return new Replica(model, new GradientStep(model, spec.reduction()), FlatFloats.shapedAs(model.parameters()));
        }, use);
    }
}
