package dev.vgg4j.spark;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float vectors as raw bytes in Spark's blocks: float32 is a bulk copy; bfloat16 (the upper half
 * of a float32, rounded to nearest even, as BigDL sends gradients) halves the bytes at about
 * three significant digits. Little-endian both ways.
 */
public enum FloatBytes {
    FLOAT32(4), BFLOAT16(2);

    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final int bytesPerFloat;

    FloatBytes(int bytesPerFloat) {
        this.bytesPerFloat = bytesPerFloat;
    }

    public int bytesPerFloat() {
        return bytesPerFloat;
    }

    /** {@code src[from, from + count)} into {@code dst} from float {@code at} of it on. */
    void encode(float[] src, int from, int count, MemorySegment dst, long at) {
        if (this == FLOAT32) {
            MemorySegment.copy(src, from, dst, FLOAT_LE, at * Float.BYTES, count);
        } else {
            for (int i = 0; i < count; i++) {
                dst.setAtIndex(SHORT_LE, at + i, toBfloat16(src[from + i]));
            }
        }
    }

    /** {@code dst[at + i] += decode(src)[i]} for every float in {@code src}; float32 in vectors (each lane is the scalar sum's bits). */
    void addInto(MemorySegment src, float[] dst, int at) {
        int count = Math.toIntExact(src.byteSize() / bytesPerFloat);
        int i = 0;
        if (this == FLOAT32) {
            for (int bound = S.loopBound(count); i < bound; i += S.length()) {
                FloatVector.fromArray(S, dst, at + i)
                        .add(FloatVector.fromMemorySegment(S, src, (long) i * Float.BYTES, ByteOrder.LITTLE_ENDIAN))
                        .intoArray(dst, at + i);
            }
            for (; i < count; i++) {
                dst[at + i] += src.getAtIndex(FLOAT_LE, i);
            }
        } else {
            for (; i < count; i++) {
                dst[at + i] += Float.intBitsToFloat(src.getAtIndex(SHORT_LE, i) << 16);
            }
        }
    }

    /** Float32 values {@code from .. from + count} of {@code src} into {@code dst[at, at + count)}. */
    static void decodeFloat32(MemorySegment src, long from, float[] dst, int at, int count) {
        MemorySegment.copy(src, FLOAT_LE, from * Float.BYTES, dst, at, count);
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
