package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;

/** A layer's output or gradient tensor: allocated on first use, kept while the shape stays the same. */
final class OwnedTensor implements AutoCloseable {
    private final Backend backend;
    private Tensor tensor;

    OwnedTensor(Backend backend) {
        this.backend = backend;
    }

    /** The tensor, reallocated only when {@code shape} differs from the last call's. */
    Tensor of(Shape shape) {
        if (tensor == null || !tensor.shape().equals(shape)) {
            close();
            tensor = backend.allocate(shape);
        }
        return tensor;
    }

    @Override
    public void close() {
        if (tensor != null) {
            tensor.close();
            tensor = null;
        }
    }
}
