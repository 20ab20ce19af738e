package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import java.util.function.Function;

/**
 * A device buffer kept between calls and grown on demand (a convolution's column matrix, split-K
 * partial sums), so that a training step allocates nothing after its first run. Allocated through
 * the backend, which frees it on close.
 */
final class ScratchBuffer {
    private final Function<Shape, DeviceTensor> allocate;
    private DeviceTensor buffer;

    ScratchBuffer(Function<Shape, DeviceTensor> allocate) {
        this.allocate = allocate;
    }

    /** The offset of a buffer of at least {@code floats}. */
    int offset(int floats) {
        if (buffer == null || buffer.size() < floats) {
            if (buffer != null) {
                buffer.close();
            }
            buffer = allocate.apply(Shape.of(floats));
        }
        return buffer.offset();
    }

    /** Forgets the buffer (the backend frees it with everything else it handed out). */
    void forget() {
        buffer = null;
    }
}
