package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.core.Tensor;
import dev.vgg4j.spi.Backend;

/**
 * A tensor that lives in the device heap: a float offset and a shape, nothing on the host. Views
 * made by {@link #reshape} share the offset and free nothing when closed.
 */
final class DeviceTensor implements Tensor {
    private final TornadoBackend owner;
    private final Shape shape;
    private final int offset;
    private final DeviceTensor base;
    private volatile boolean closed;

    DeviceTensor(TornadoBackend owner, Shape shape, int offset, DeviceTensor base) {
        this.owner = owner;
        this.shape = shape;
        this.offset = offset;
        this.base = base;
    }

    /** First element's index in the device heap. */
    int offset() {
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
            throw new ShapeException("reshape: " + shape + " cannot be viewed as " + newShape);
        }
        return new DeviceTensor(owner, newShape, offset, base == null ? this : base);
    }

    @Override
    public boolean isClosed() {
        return closed || owner.isClosedBackend() || (base != null && base.isClosed());
    }

    @Override
    public void close() {
        if (base == null && !closed) {
            closed = true;
            owner.releaseTensor(this);
        }
    }

    @Override
    public String toString() {
        return "DeviceTensor" + shape + "@" + offset;
    }
}
