package dev.vgg4j.spi;

import dev.vgg4j.core.Shape;

/**
 * A handle to a dense float32 tensor that lives in a backend's memory (the Java heap, native
 * memory or a GPU). The model and trainer only ever hold handles; the numbers move to and from the
 * host through {@link Backend#upload} and {@link Backend#download}.
 *
 * <p>Closing a tensor frees its memory; closing a view (see {@link #reshape}) frees nothing.
 * Closing the backend frees every tensor it handed out.
 */
public interface Tensor extends AutoCloseable {

    Shape shape();

    /** The backend that owns this tensor; ops accept only tensors of their own backend. */
    Backend backend();

    /**
     * A view of the same memory with another shape of the same size, e.g. {@code [N, C, 1, 1]} as
     * {@code [N, C]} for the classifier. Writes through the view are visible in this tensor.
     */
    Tensor reshape(Shape shape);

    boolean isClosed();

    @Override
    void close();

    default int size() {
        return shape().size();
    }
}
