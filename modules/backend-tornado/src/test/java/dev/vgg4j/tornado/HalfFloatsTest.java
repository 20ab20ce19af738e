package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.tornado.kernels.HalfFloats;
import org.junit.jupiter.api.Test;

/** The kernels' float-only rounding to half against the JDK's IEEE conversion, as plain Java. */
class HalfFloatsTest {
    @Test
    void roundsLikeTheJdksFloat16Conversion() {
        // Every 997th float bit pattern (both signs, every exponent), and the edges of half's range.
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 997) {
            check(Float.intBitsToFloat((int) bits));
        }
        float[] edges = {0f, -0f, 65504f, 65519.996f, 65520f, 65536f, 0x1p-14f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f,
            0x1.000002p-25f, 0x1p-26f, 1f + 0x1p-11f, 1f + 0x3p-11f, 2049f, 2051f, Float.MIN_VALUE, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (float v : edges) {
            check(v);
            check(-v);
        }
    }

    private static void check(float v) {
        float expected = Float.float16ToFloat(Float.floatToFloat16(v));
        float actual = HalfFloats.round(v);
        if (Float.isNaN(expected)) {
            assertEquals(Float.NaN, actual, "NaN stays NaN");
        } else {
            // +0 and -0 compare equal here: the kernels do not keep the sign of a zero.
            assertEquals(expected, actual, 0f, () -> "round(" + v + " = " + Integer.toHexString(Float.floatToRawIntBits(v)) + ")");
        }
    }
}
