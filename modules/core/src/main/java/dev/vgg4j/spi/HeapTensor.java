package dev.vgg4j.spi;

import dev.vgg4j.core.Shape;

/**
 * A tensor stored in a Java {@code float[]}, for backends that compute on the heap. Elements are
 * {@code data[offset .. offset + size)}, row-major. Views made by {@link #reshape} share the array.
 */
public final class HeapTensor extends AbstractTensor<HeapTensor> {
    private final float[] data;
    private final int offset;

    private HeapTensor(AbstractBackend<HeapTensor> owner, Shape shape, float[] data, int offset, HeapTensor base) {
        super(owner, shape, base);
        this.data = data;
        this.offset = offset;
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
    protected HeapTensor view(Shape newShape, HeapTensor base) {
        return new HeapTensor(owner(), newShape, data, offset, base);
    }

    @Override
    public String toString() {
        return "HeapTensor" + shape();
    }
}
