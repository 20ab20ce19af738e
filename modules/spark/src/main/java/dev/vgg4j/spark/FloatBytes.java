package dev.vgg4j.spark;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Float vectors as bytes for Spark's shuffle: float32 is a bulk copy; bfloat16 (the upper half of
 * a float32, rounded to nearest even, as BigDL sends gradients) halves the bytes at about three
 * significant digits. Little-endian both ways.
 */
public enum FloatBytes {
    FLOAT32(4), BFLOAT16(2);

    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int bytesPerFloat;

    FloatBytes(int bytesPerFloat) {
        this.bytesPerFloat = bytesPerFloat;
    }

    public int bytesPerFloat() {
        return bytesPerFloat;
    }

    /** {@code src[from, from + count)} as bytes. */
    public byte[] encode(float[] src, int from, int count) {
        byte[] out = new byte[count * bytesPerFloat];
        MemorySegment dst = MemorySegment.ofArray(out);
        if (this == FLOAT32) {
            MemorySegment.copy(src, from, dst, FLOAT_LE, 0, count);
        } else {
            for (int i = 0; i < count; i++) {
                dst.setAtIndex(SHORT_LE, i, toBfloat16(src[from + i]));
            }
        }
        return out;
    }

    /** {@code dst[i] += decode(bytes)[i]} for every float in {@code bytes}. */
    public void addInto(byte[] bytes, float[] dst) {
        MemorySegment src = MemorySegment.ofArray(bytes);
        int count = bytes.length / bytesPerFloat;
        if (this == FLOAT32) {
            for (int i = 0; i < count; i++) {
                dst[i] += src.getAtIndex(FLOAT_LE, i);
            }
        } else {
            for (int i = 0; i < count; i++) {
                dst[i] += Float.intBitsToFloat(src.getAtIndex(SHORT_LE, i) << 16);
            }
        }
    }

    /** Round to nearest even on the 16 dropped bits; NaN stays NaN. */
    static short toBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
