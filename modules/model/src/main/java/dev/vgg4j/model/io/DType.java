package dev.vgg4j.model.io;

/**
 * The element types vgg4j reads and writes in safetensors files, with their header names. Models
 * compute in float32; F16, BF16 and F64 tensors (as PyTorch may save them) convert to float32 on
 * reading, and a state dict can be written in any of the four float types.
 */
public enum DType {
    /** float32, the type of every parameter and running statistic. */
    F32(4),
    /** IEEE half precision. */
    F16(2),
    /** bfloat16: float32's exponent, 8 bits of mantissa. */
    BF16(2),
    /** float64. */
    F64(8),
    /** int64, torchvision's type for {@code num_batches_tracked}. */
    I64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Whether values of this type convert to and from float32 ({@code F32, F16, BF16, F64}). */
    public boolean isFloat() {
        return this != I64;
    }

    /** The dtype called {@code name} in a header, or a {@link CheckpointException} naming the file. */
    static DType parse(String name, String tensor, String file) throws CheckpointException {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new CheckpointException(file + ": tensor '" + tensor + "' has dtype " + name
                + ", expected F32, F16, BF16, F64 or I64");
    }
}
