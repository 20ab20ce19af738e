package dev.vgg4j.model;

import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.TensorEntry;

/**
 * A named entry of a model's state dict that can be copied to and from the host, e.g. BatchNorm's
 * {@code running_mean} (float32 on the backend) or {@code num_batches_tracked} (an int64 counter
 * kept on the host, as torchvision stores it).
 */
public interface Buffer {

    /** torchvision state-dict key, e.g. {@code features.1.running_var}. */
    String name();

    /** A host copy of the current value. */
    TensorEntry save();

    /**
     * Replaces the value with {@code entry}; a dtype or shape mismatch throws an
     * {@link CheckpointException} naming {@code source} (the checkpoint file), the key and
     * what was expected.
     */
    void load(TensorEntry entry, String source) throws CheckpointException;
}
