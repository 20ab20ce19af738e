package dev.vgg4j.model.io;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named tensor of a safetensors file, held on the host as little-endian bytes. A scalar has
 * shape {@code []} (torchvision's {@code num_batches_tracked}). Immutable: accessors copy.
 */
public final class TensorEntry {
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final byte[] data;

    TensorEntry(String name, DType dtype, int[] shape, byte[] data) {
        if (name == null || name.isEmpty() || name.equals(SafeTensors.METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name must be non-empty and not " + SafeTensors.METADATA_KEY
                    + ", got '" + name + "'");
        }
        long count = elementCount(shape);
        if (count * dtype.bytes() != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' " + Arrays.toString(shape) + " " + dtype
                    + " needs " + count * dtype.bytes() + " bytes, got " + data.length);
        }
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /** A float32 tensor; {@code values.length} must equal the product of {@code shape}. */
    public static TensorEntry f32(String name, int[] shape, float[] values) {
        ByteBuffer b = buffer(values.length * 4L);
        b.asFloatBuffer().put(values);
        return new TensorEntry(name, DType.F32, shape, b.array());
    }

    /** An int64 tensor; {@code values.length} must equal the product of {@code shape} (1 for {@code []}). */
    public static TensorEntry i64(String name, int[] shape, long[] values) {
        ByteBuffer b = buffer(values.length * 8L);
        b.asLongBuffer().put(values);
        return new TensorEntry(name, DType.I64, shape, b.array());
    }

    /** A float32 host copy of a backend tensor (waits for pending ops). */
    public static TensorEntry download(String name, Tensor t) {
        return f32(name, t.shape().dims(), t.backend().download(t));
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** The values of a float32 tensor. */
    public float[] floats() {
        requireDType(DType.F32);
        float[] out = new float[(int) elementCount()];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** The values of an int64 tensor. */
    public long[] longs() {
        requireDType(DType.I64);
        long[] out = new long[(int) elementCount()];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    /**
     * Copies this float32 entry into {@code dst}, whose shape it must have.
     *
     * @param source the checkpoint file, named in the error
     */
    public void uploadTo(Tensor dst, String source) throws CheckpointException {
        Shape expected = dst.shape();
        if (dtype != DType.F32 || !Arrays.equals(shape, expected.dims())) {
            throw new CheckpointException(source + ": tensor '" + name + "' is " + dtype + " " + Arrays.toString(shape)
                    + ", expected F32 " + expected + " (a checkpoint of another model?)");
        }
        dst.backend().upload(floats(), dst);
    }

    /** The value of an int64 scalar (shape {@code []}, or {@code [1]} as some writers store it). */
    public long scalarLong(String source) throws CheckpointException {
        if (dtype != DType.I64 || elementCount() != 1 || shape.length > 1) {
            throw new CheckpointException(source + ": tensor '" + name + "' is " + dtype + " " + Arrays.toString(shape)
                    + ", expected an I64 scalar []");
        }
        return longs()[0];
    }

    /** The raw little-endian bytes, not copied: for the writer only. */
    byte[] bytes() {
        return data;
    }

    private void requireDType(DType expected) {
        if (dtype != expected) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + ", not " + expected);
        }
    }

    private static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static ByteBuffer buffer(long bytes) {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of " + bytes + " bytes does not fit in one array");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
