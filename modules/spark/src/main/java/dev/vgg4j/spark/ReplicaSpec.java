package dev.vgg4j.spark;

import dev.vgg4j.model.Model;
import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.model.Models;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Reduction;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * How an executor builds a replica of the driver's model: the model config (as checkpoint
 * metadata), the backend and its host threads ({@code 0}: the task's {@code spark.task.cpus}),
 * and the loss reduction. {@code run} tells the replicas of one training run from another's.
 */
record ReplicaSpec(String run, HashMap<String, String> modelMetadata, String backend, int threads,
                   Reduction reduction) implements Serializable {

    static ReplicaSpec of(String run, Model model, String backend, int threads, Reduction reduction) {
        return new ReplicaSpec(run, new HashMap<>(model.config().toMetadata()), backend, threads, reduction);
    }

    /** A fresh model of the driver's config on a new backend; its weights come from the run's slices. */
    Model build(int taskCpus) throws CheckpointException {
        ModelConfig config = Models.fromMetadata(Map.copyOf(modelMetadata), "the driver's model config");
        Backend b = Backends.create(backend, BackendOptions.defaults().withThreads(threads > 0 ? threads : taskCpus));
        return config.create(b);
    }
}
