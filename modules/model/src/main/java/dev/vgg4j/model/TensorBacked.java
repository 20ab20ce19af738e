package dev.vgg4j.model;

import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Tensor;

/** A state-dict entry whose value is a float32 tensor on the backend: saved and loaded as that tensor. */
interface TensorBacked extends Buffer {

    Tensor value();

    @Override
    default TensorEntry save() {
        return TensorEntry.download(name(), value());
    }

    @Override
    default void load(TensorEntry entry, String source) throws CheckpointException {
        entry.uploadTo(value(), source);
    }
}
