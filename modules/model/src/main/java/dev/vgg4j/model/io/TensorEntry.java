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
        return floats(name, DType.F32, shape, values);
    }

    /**
     * A tensor of the float type {@code dtype} holding {@code values} rounded to it (to nearest,
     * ties to even, for F16 and BF16).
     */
    public static TensorEntry floats(String name, DType dtype, int[] shape, float[] values) {
        ByteBuffer b = buffer((long) values.length * dtype.bytes());
        for (float v : values) {
            switch (dtype) {
                case F32 -> b.putFloat(v);
                case F16 -> b.putShort(Float.floatToFloat16(v));
                case BF16 -> b.putShort(toBFloat16(v));
                case F64 -> b.putDouble(v);
                case I64 -> throw new IllegalArgumentException("tensor '" + name + "': I64 is not a float type");
            }
        }
        return new TensorEntry(name, dtype, shape, b.array());
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

    /** The same tensor under another name (shares the bytes, which are never written). */
    public TensorEntry renamed(String newName) {
        return new TensorEntry(newName, dtype, shape, data);
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

    /** The values of a float tensor (F32, F16, BF16 or F64) as float32. */
    public float[] floats() {
        if (!dtype.isFloat()) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + ", not a float type");
        }
        float[] out = new float[(int) elementCount()];
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.float16ToFloat(b.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble();
                }
            }
            case I64 -> throw new AssertionError(dtype);
        }
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
     * Copies this float entry (F32, or F16, BF16, F64 converted to float32) into {@code dst}, whose
     * shape it must have.
     *
     * @param source the checkpoint file, named in the error
     */
    public void uploadTo(Tensor dst, String source) throws CheckpointException {
        Shape expected = dst.shape();
        if (!dtype.isFloat()) {
            throw new CheckpointException(source + ": tensor '" + name + "' is " + dtype + " " + Arrays.toString(shape)
                    + ", expected a float tensor " + expected);
        }
        if (!Arrays.equals(shape, expected.dims())) {
            throw new CheckpointException(source + ": tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected " + expected + " (a checkpoint of another model?)");
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

    /** float32 to bfloat16, rounded to nearest with ties to even; NaN stays a (quiet) NaN. */
    private static short toBFloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
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
