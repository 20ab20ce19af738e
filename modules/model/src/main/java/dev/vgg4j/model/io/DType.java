package dev.vgg4j.model.io;

/** The element types vgg4j reads and writes in safetensors files, with their header names. */
public enum DType {
    /** float32, the type of every parameter and running statistic. */
    F32(4),
    /** int64, torchvision's type for {@code num_batches_tracked}. */
    I64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** The dtype called {@code name} in a header, or a {@link CheckpointException} naming the file. */
    static DType parse(String name, String tensor, String file) throws CheckpointException {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new CheckpointException(file + ": tensor '" + tensor + "' has dtype " + name + ", expected F32 or I64");
    }
}
