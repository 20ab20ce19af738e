package dev.vgg4j.model;

import dev.vgg4j.core.Tensor;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.TensorEntry;

/** A non-trainable float32 tensor of the state dict, e.g. {@code features.1.running_mean}. */
public record TensorBuffer(String name, Tensor value) implements Buffer {

    @Override
    public TensorEntry save() {
        return TensorEntry.download(name, value);
    }

    @Override
    public void load(TensorEntry entry, String source) throws CheckpointException {
        entry.uploadTo(value, source);
    }
}
