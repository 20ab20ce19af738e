package dev.vgg4j.model;

import dev.vgg4j.core.Tensor;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.TensorEntry;

/**
 * A trainable tensor and its gradient, both owned by the layer that declares them. The gradient
 * has the value's shape and is overwritten by every backward.
 *
 * @param name torchvision state-dict key, e.g. {@code features.0.weight}
 */
public record Parameter(String name, Tensor value, Tensor grad) implements Buffer {

    @Override
    public TensorEntry save() {
        return TensorEntry.download(name, value);
    }

    @Override
    public void load(TensorEntry entry, String source) throws CheckpointException {
        entry.uploadTo(value, source);
    }
}
