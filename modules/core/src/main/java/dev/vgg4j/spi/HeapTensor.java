package dev.vgg4j.spi;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.Tensor;

/**
 * A tensor stored in a Java {@code float[]}, for backends that compute on the heap. Elements are
 * {@code data[offset .. offset + size)}, row-major. Views made by {@link #reshape} share the array.
 */
public final class HeapTensor implements Tensor {
    private final AbstractBackend<HeapTensor> owner;
    private final Shape shape;
    private final float[] data;
    private final int offset;
    private final HeapTensor base;
    private volatile boolean closed;

    private HeapTensor(AbstractBackend<HeapTensor> owner, Shape shape, float[] data, int offset, HeapTensor base) {
        this.owner = owner;
        this.shape = shape;
        this.data = data;
        this.offset = offset;
        this.base = base;
    }

    /** A new tensor backed by a fresh array; call from {@link AbstractBackend#doAllocate}. */
    public static HeapTensor allocate(AbstractBackend<HeapTensor> owner, Shape shape) {
        return new HeapTensor(owner, shape, new float[shape.size()], 0, null);
    }

    /** The backing array; elements start at {@link #offset()}. */
    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new dev.vgg4j.core.ShapeException("reshape: " + shape + " cannot be viewed as " + newShape);
        }
        return new HeapTensor(owner, newShape, data, offset, base == null ? this : base);
    }

    @Override
    public boolean isClosed() {
        return closed || owner.isShutDown() || (base != null && base.isClosed());
    }

    @Override
    public void close() {
        if (base == null && !closed) {
            closed = true;
            owner.release(this);
        }
    }

    @Override
    public String toString() {
        return "HeapTensor" + shape;
    }
}
