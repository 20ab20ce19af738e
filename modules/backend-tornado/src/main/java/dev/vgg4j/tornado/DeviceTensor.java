package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.AbstractBackend;
import dev.vgg4j.spi.AbstractTensor;

/**
 * A tensor that lives in the device heap: a float offset and a shape, nothing on the host. Views
 * made by {@link #reshape} share the offset and free nothing when closed.
 */
final class DeviceTensor extends AbstractTensor<DeviceTensor> {
    private final int offset;

    DeviceTensor(AbstractBackend<DeviceTensor> owner, Shape shape, int offset, DeviceTensor base) {
        super(owner, shape, base);
        this.offset = offset;
    }

    /** First element's index in the device heap. */
    int offset() {
        return offset;
    }

    @Override
    protected DeviceTensor view(Shape newShape, DeviceTensor base) {
        return new DeviceTensor(owner(), newShape, offset, base);
    }

    @Override
    public String toString() {
        return "DeviceTensor" + shape() + "@" + offset;
    }
}
