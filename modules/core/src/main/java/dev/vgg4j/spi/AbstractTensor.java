package dev.vgg4j.spi;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;

/**
 * What every backend's tensor handle shares: a shape, the backend that owns it, views made by
 * {@link #reshape} that share the storage of one base tensor, and closing once through
 * {@link AbstractBackend#release}. A view frees nothing when closed and counts as closed once its
 * base is. Subclasses hold where the elements live and say how a view over them is made.
 *
 * @param <T> the backend's tensor class (the subclass itself)
 */
public abstract class AbstractTensor<T extends AbstractTensor<T>> implements Tensor {
    private final AbstractBackend<T> owner;
    private final Shape shape;
    private final T base;
    private volatile boolean closed;

    /** @param base the tensor whose storage this one views, or null for a tensor that owns its storage */
    protected AbstractTensor(AbstractBackend<T> owner, Shape shape, T base) {
        this.owner = owner;
        this.shape = shape;
        this.base = base;
    }

    /** A tensor over the same elements as this one with {@code newShape} (same size) and {@code base}. */
    protected abstract T view(Shape newShape, T base);

    @Override
    public final Shape shape() {
        return shape;
    }

    @Override
    public final Backend backend() {
        return owner;
    }

    /** The backend as its implementation, for subclasses making views. */
    protected final AbstractBackend<T> owner() {
        return owner;
    }

    @Override
    public final Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new ShapeException("reshape: " + shape + " cannot be viewed as " + newShape);
        }
        return view(newShape, base == null ? self() : base);
    }

    @Override
    public final boolean isClosed() {
        return closed || owner.isShutDown() || (base != null && base.isClosed());
    }

    @Override
    public final void close() {
        if (base == null && !closed) {
            closed = true;
            owner.release(self());
        }
    }

    @SuppressWarnings("unchecked") // T is the subclass by the class's contract
    private T self() {
        return (T) this;
    }
}
